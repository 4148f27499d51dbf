// One measurement for bench/tracing.ts, in a process of its own (AsyncLocalStorage's promise hooks,
// once switched on, stay on for the whole process): CPU time per request of a kit app answered
// in-process (no sockets, no database). Prints the microseconds. Usage: tracing-cpu.ts MODE
// where MODE is off | als (every request inside an AsyncLocalStorage, nothing else) | unsampled | on.
import { AsyncLocalStorage } from 'node:async_hooks';
import { apiSettingsFrom } from '../services/api/settings.ts';
import { createKit, createServiceApp } from '../services/kit/index.ts';
import { startOtlpReceiver } from '../harness/otlp-receiver.ts';

const requests = 20_000;
const mode = process.argv[2];
if (!['off', 'als', 'unsampled', 'on'].includes(mode ?? ''))
  throw new Error('usage: tracing-cpu.ts off|als|unsampled|on');

const receiver = await startOtlpReceiver();
if (mode === 'unsampled' || mode === 'on') process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
if (mode === 'unsampled') process.env.OTEL_TRACES_SAMPLER = 'always_off';
const kit = createKit(apiSettingsFrom({ ...process.env, LOG_LEVEL: 'silent' }));
const app = createServiceApp(kit);
app.get('/items/:id', (c) => c.json({ id: c.req.param('id') }));
const storage = new AsyncLocalStorage<number>();
const request = (i: number) =>
  mode === 'als' ? storage.run(i, () => app.request('/items/1')) : app.request('/items/1');

for (let i = 0; i < 2_000; i++) await request(i); // warm-up
const started = process.cpuUsage();
for (let i = 0; i < requests; i++) await request(i);
const used = process.cpuUsage(started);
await kit.close();
await receiver.close();
console.log(((used.user + used.system) / requests).toFixed(1));
