// Tracing's cost: the same kit products server with tracing on (exporting to a local OTLP receiver)
// and off, alternated; and each compiled service's memory with tracing on while taking orders.
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { repoRoot } from '../scripts/native/paths.ts';
import { startNativeStack } from '../scripts/native/stack.ts';
import { ensureFreshBuild } from '../harness/fresh-build.ts';
import { startOtlpReceiver } from '../harness/otlp-receiver.ts';
import { type AutocannonResult, type BenchSection } from './autocannon.ts';
import { ordersAtRate, stockBenchProduct } from './order-traffic.ts';
import { cpuSeconds, rssPeaks } from './proc-stats.ts';
import { verdict } from './results-file.ts';
import { imageEnv } from './image-env.ts';
import { fmt, median, productsThroughput, ROUNDS, rssTable, withProductsServer } from './services.ts';

const throughputRatioTarget = 0.85;
const benchSku = 'BENCH-TRACE-0001';
const run = promisify(execFile);

interface ServerRun {
  result: AutocannonResult;
  /** The server process's CPU time per answered request, in µs. */
  cpuUs: number;
}

/** A products-server throughput run, with the server's own CPU time per request. */
async function serverRun(env: Record<string, string>, databaseUrl: string): Promise<ServerRun> {
  return withProductsServer(
    'kit',
    databaseUrl,
    async (url, pid) => {
      let cpuUs = 0;
      const result = await productsThroughput(url, async (run) => {
        const before = cpuSeconds(pid);
        const measured = await run();
        cpuUs = ((cpuSeconds(pid) - before) * 1e6) / measured.requests.total;
        return measured;
      });
      return { result, cpuUs };
    },
    env,
  );
}

/** CPU µs per request of an in-process kit app in one mode, measured by bench/tracing-cpu.ts in a fresh process. */
async function cpuPerRequestUs(mode: 'off' | 'als' | 'unsampled' | 'on'): Promise<number> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/tracing-cpu.ts', mode], {
    cwd: repoRoot,
  });
  return Number(stdout.trim().split('\n').pop());
}

export async function benchTracing(): Promise<BenchSection> {
  process.env.PAYMENT_PROCESSING_MS = '0-0';
  // Other work on the machine moves the req/s (not the server's CPU per request): say how much there was.
  const loadAtStart = loadavg()[0]!;
  ensureFreshBuild();
  const receiver = await startOtlpReceiver();
  const tracingOn = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url };
  // The services as the image runs them (its ENV: V8's heap bounded), so their RSS compares with compose's limits.
  const stack = await startNativeStack({
    ports: 'random',
    prometheus: false,
    output: 'quiet',
    fromDist: true,
    serviceEnv: { ...imageEnv(), ...tracingOn },
  });
  const sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await stockBenchProduct(sql, benchSku);
    const rss = rssPeaks(stack.servicePids, 500);
    const idle = rss.peaks();
    const orders = await ordersAtRate(stack.urls.api, { sku: benchSku, rate: 100, seconds: 15, seed: 7 });
    rss.stop();
    const peak = rss.peaks();
    const orderSpans = receiver.spans().length;

    const onServerRuns: ServerRun[] = [];
    const offServerRuns: ServerRun[] = [];
    const unsampledServerRuns: ServerRun[] = [];
    let spansWhileOn = 0;
    for (let round = 0; round < ROUNDS; round++) {
      receiver.clear();
      onServerRuns.push(await serverRun(tracingOn, stack.databaseUrl));
      spansWhileOn += receiver.spans().length;
      offServerRuns.push(await serverRun({}, stack.databaseUrl));
      // Context and propagation without a span recorded: where the cost is when it is not the spans.
      unsampledServerRuns.push(
        await serverRun({ ...tracingOn, OTEL_TRACES_SAMPLER: 'always_off' }, stack.databaseUrl),
      );
    }
    const onRuns = onServerRuns.map((r) => r.result);
    const offRuns = offServerRuns.map((r) => r.result);
    const on = median(onRuns, (r) => r.requests.average);
    const off = median(offRuns, (r) => r.requests.average);
    const ratio = on.requests.average / off.requests.average;
    const rates = (runs: AutocannonResult[]) => runs.map((r) => fmt(r.requests.average, 0)).join(' / ');
    const requestsWhileOn = onRuns.reduce((sum, r) => sum + r.requests.total, 0);
    const serverCpu = (runs: ServerRun[]) => median(runs, (r) => r.cpuUs).cpuUs;
    const cpuRuns = (runs: ServerRun[]) => runs.map((r) => fmt(r.cpuUs, 0)).join(' / ');
    // What the ratio would be if the server alone were the bottleneck: its CPU per request, off / on.
    const cpuRatio = serverCpu(offServerRuns) / serverCpu(onServerRuns);
    const cpuModes = ['off', 'als', 'unsampled', 'on'] as const;
    const cpu: Record<string, number[]> = Object.fromEntries(cpuModes.map((m) => [m, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of cpuModes) cpu[mode]!.push(await cpuPerRequestUs(mode));
    }
    const cpuMedian = (mode: string) => median(cpu[mode]!, (us) => us);

    const markdown = [
      `Machine load (1-minute load average, 2 cores) at the start / end: ${fmt(loadAtStart, 2)} / ${fmt(loadavg()[0]!, 2)}.`,
      '',
      `GET /api/products on the kit's products server (bench/products-server.ts), autocannon with 20 connections, ${ROUNDS} alternating rounds each, median; tracing on exports to a local OTLP/HTTP receiver with the SDK's default batch settings.`,
      '',
      '| measure | value | target | |',
      '|---|---|---|---|',
      `| tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT) | ${fmt(off.requests.average, 0)} req/s (runs: ${rates(offRuns)}), p99 ${off.latency.p99} ms | | |`,
      `| tracing on | ${fmt(on.requests.average, 0)} req/s (runs: ${rates(onRuns)}), p99 ${on.latency.p99} ms | | |`,
      `| ratio on / off | ${fmt(ratio, 2)} | ≥ ${throughputRatioTarget} | ${verdict(ratio >= throughputRatioTarget)} |`,
      `| server CPU per request, off / on (the server process's own CPU time over the timed run; runs: ${cpuRuns(offServerRuns)} / ${cpuRuns(onServerRuns)} µs) | ${fmt(serverCpu(offServerRuns), 0)} / ${fmt(serverCpu(onServerRuns), 0)} µs | | |`,
      `| server CPU per request, tracing on with sampler always_off (no span recorded or exported; runs: ${cpuRuns(unsampledServerRuns)} µs) | ${fmt(serverCpu(unsampledServerRuns), 0)} µs | | |`,
      `| throughput the CPU cost allows, on / off (server CPU per request off ÷ on: what the ratio is when the server alone is the bottleneck, whatever else the machine runs) | ${fmt(cpuRatio, 2)} | ≥ ${throughputRatioTarget} | ${verdict(cpuRatio >= throughputRatioTarget)} |`,
      `| spans received while on (server + PostgreSQL per request; the batch queue drops what it cannot hold) | ${spansWhileOn} for ${requestsWhileOn} requests | | |`,
      '',
      `CPU per request of a kit app answered in-process, each mode in a fresh process (bench/tracing-cpu.ts, 20 000 requests each, ${ROUNDS} rounds, median), to show where the cost is:`,
      '',
      '| mode | CPU per request |',
      '|---|---|',
      `| tracing off | ${fmt(cpuMedian('off'))} µs |`,
      `| tracing off, each request inside an AsyncLocalStorage (what the SDK's context manager does) | ${fmt(cpuMedian('als'))} µs |`,
      `| tracing on, sampler always_off (context and propagation, no span recorded) | ${fmt(cpuMedian('unsampled'))} µs |`,
      `| tracing on, every span recorded and exported | ${fmt(cpuMedian('on'))} µs |`,
      '',
      `Compiled services (dist/, the image's environment) with tracing on, taking ${fmt(orders.achievedRate)} orders/s for ${fmt(orders.windowSeconds, 0)} s (p99 ${fmt(orders.latency.p99Ms)} ms, ${orderSpans} spans received):`,
      '',
      ...rssTable(idle, peak, 'RSS peak'),
    ].join('\n');
    return { title: 'Tracing', markdown };
  } finally {
    await sql.end();
    await stack.stop();
    await receiver.close();
  }
}
