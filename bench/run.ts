// Runs the benchmarks side by side in one process and writes their sections of bench/RESULTS.md.
// `npm run bench` runs them all; `npm run bench -- rules services` only those named.
import type { BenchSection } from './autocannon.ts';
import { benchEngine } from './engine.ts';
import { benchLoginFlood } from './login-flood.ts';
import { benchMemory } from './memory.ts';
import { measuredOn, writeSections } from './results-file.ts';
import { benchRules } from './rules.ts';
import { benchServices } from './services.ts';
import { benchStageLatency } from './stage-latency.ts';
import { benchTracing } from './tracing.ts';

const benches: Record<string, () => Promise<BenchSection>> = {
  services: benchServices,
  memory: benchMemory,
  engine: benchEngine,
  rules: benchRules,
  'login-flood': benchLoginFlood,
  tracing: benchTracing,
  'stage-latency': benchStageLatency,
};

const usage = [
  'Usage: npm run bench [-- <name>...]',
  '',
  'Runs the benchmarks (all, or those named) and rewrites their sections of bench/RESULTS.md.',
  `Names: ${Object.keys(benches).join(', ')}.`,
].join('\n');
const asked = process.argv.slice(2);
if (asked.includes('--help') || asked.includes('-h')) {
  console.log(usage);
  process.exit(0);
}
const unknown = asked.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark ${unknown.join(', ')}: choose from ${Object.keys(benches).join(', ')}\n\n${usage}`,
  );
  process.exit(2);
}

const sections: BenchSection[] = [];
for (const [name, run] of Object.entries(benches)) {
  if (asked.length > 0 && !asked.includes(name)) continue;
  console.log(`running the ${name} benchmark…`);
  const section = await run();
  const measured = { title: section.title, markdown: `${measuredOn()}\n\n${section.markdown}` };
  console.log(measured.markdown, '\n');
  sections.push(measured);
}
writeSections(sections);
console.log(`wrote ${sections.map((s) => s.title).join(', ')} to bench/RESULTS.md`);
