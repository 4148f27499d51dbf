import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePorts } from '../scripts/native/ports.ts';
import { repoRoot } from '../scripts/native/paths.ts';
import { waitUntilReady } from '../scripts/native/wait-ready.ts';
import { startNativeStack, type ServiceName } from '../scripts/native/stack.ts';
import type { TrafficReport } from '../simulator/engine/traffic-engine.ts';
import { ordersAtRate, stockBenchProduct } from './order-traffic.ts';
import { autocannon, type AutocannonResult, type BenchSection } from './autocannon.ts';
import { rssPeaks } from './proc-stats.ts';
import { verdict } from './results-file.ts';

const CONNECTIONS = 20;
const THROUGHPUT_SECONDS = 10;
const ORDER_RATE = 100;
const ORDER_SECONDS = 15;
export const ROUNDS = 3;
const benchSku = 'BENCH-0001';

/**
 * Starts bench/products-server.ts in the given mode on a free port, its stdout going straight to a
 * file as a container runtime would take it, so neither server's logs cost the load generator.
 */
/** Each service's RSS idle and at its peak, as Markdown table lines. */
export function rssTable(
  idle: Record<ServiceName, number>,
  peak: Record<ServiceName, number>,
  peakHeading: string,
): string[] {
  return [
    `| service | RSS idle | ${peakHeading} |`,
    '|---|---|---|',
    ...(Object.keys(idle) as ServiceName[]).map(
      (name) => `| ${name} | ${fmt(idle[name])} MiB | ${fmt(peak[name])} MiB |`,
    ),
  ];
}

export async function withProductsServer<T>(
  mode: 'kit' | 'bare',
  databaseUrl: string,
  use: (url: string, pid: number) => Promise<T>,
  env: Record<string, string> = {},
): Promise<T> {
  const [port] = await freePorts(1);
  const logFile = join(mkdtempSync(join(tmpdir(), 'shopfast-bench-')), `${mode}.log`);
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/products-server.ts', mode], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      ADMIN_TOKEN: 'bench-admin-token',
      ...env,
    },
    stdio: ['ignore', out, 'inherit'],
  });
  closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(`${url}/api/products`, { what: `${mode} products server`, timeoutMs: 30_000 });
    return await use(url, child.pid!);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

/** Closed-loop throughput of GET /api/products after a warm-up; `measured` wraps the timed run only. */
export async function productsThroughput(
  url: string,
  measured: (run: () => Promise<AutocannonResult>) => Promise<AutocannonResult> = (run) => run(),
): Promise<AutocannonResult> {
  await autocannon({ url: `${url}/api/products`, connections: CONNECTIONS, duration: 2 }); // warm-up
  return measured(() =>
    autocannon({ url: `${url}/api/products`, connections: CONNECTIONS, duration: THROUGHPUT_SECONDS }),
  );
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);

export function median<T>(runs: T[], by: (run: T) => number): T {
  return [...runs].sort((a, b) => by(a) - by(b))[Math.floor(runs.length / 2)]!;
}

/** The kit's overhead, order latency against real PostgreSQL, and each service's memory. */
export async function benchServices(): Promise<BenchSection> {
  // The payment gateway's simulated 100-500 ms would hide the services' own latency.
  process.env.PAYMENT_PROCESSING_MS = '0-0';
  const stack = await startNativeStack({ ports: 'random', prometheus: false, output: 'quiet' });
  const sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await stockBenchProduct(sql, benchSku);
    const rss = rssPeaks(stack.servicePids, 500);
    const idle = rss.peaks();
    // Run-to-run noise on a shared 2-core machine is ±20 %: alternate the two servers and keep the median.
    const kitRuns: AutocannonResult[] = [];
    const bareRuns: AutocannonResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      kitRuns.push(await withProductsServer('kit', stack.databaseUrl, (url) => productsThroughput(url)));
      bareRuns.push(await withProductsServer('bare', stack.databaseUrl, (url) => productsThroughput(url)));
    }
    const kit = median(kitRuns, (r) => r.requests.average);
    const bare = median(bareRuns, (r) => r.requests.average);
    const orderRuns: TrafficReport[] = [];
    for (let round = 0; round < ROUNDS; round++)
      orderRuns.push(
        await ordersAtRate(stack.urls.api, {
          sku: benchSku,
          rate: ORDER_RATE,
          seconds: ORDER_SECONDS,
          seed: 7,
        }),
      );
    rss.stop();
    const loaded = rss.peaks();
    const orders = median(orderRuns, (r) => r.latency.p99Ms);
    const failedOrders = orderRuns.reduce((sum, r) => sum + r.requests - (r.statusCounts['201'] ?? 0), 0);
    const rates = (runs: AutocannonResult[]) => runs.map((r) => fmt(r.requests.average, 0)).join(' / ');

    const markdown = [
      `Native stack (PostgreSQL 15 from Debian, services under tsx), autocannon with ${CONNECTIONS} connections; the two products servers write their stdout straight to a file.`,
      '',
      '| measure | value |',
      '|---|---|',
      `| GET /api/products through the full kit (${ROUNDS} × ${THROUGHPUT_SECONDS} s, median) | ${fmt(kit.requests.average, 0)} req/s (runs: ${rates(kitRuns)}), p50 ${kit.latency.p50} ms, p99 ${kit.latency.p99} ms, non-2xx ${kit.non2xx} |`,
      `| same handler on a bare Hono app (alternating with the kit) | ${fmt(bare.requests.average, 0)} req/s (runs: ${rates(bareRuns)}), p50 ${bare.latency.p50} ms, p99 ${bare.latency.p99} ms, non-2xx ${bare.non2xx} |`,
      `| ratio kit / bare (target ≥ 0.85) | ${fmt(kit.requests.average / bare.requests.average, 2)}, ${verdict(kit.requests.average / bare.requests.average >= 0.85)} |`,
      `| POST /api/orders at ${ORDER_RATE}/s, ${ROUNDS} × ${ORDER_SECONDS} s, open loop (payment time set to 0), median run | achieved ${fmt(orders.achievedRate)}/s, p50 ${fmt(orders.latency.p50Ms)} ms, p99 ${fmt(orders.latency.p99Ms)} ms (target < 50 ms; runs: ${orderRuns.map((r) => fmt(r.latency.p99Ms)).join(' / ')} ms), failed ${failedOrders}, dropped ${orders.dropped}, ${verdict(orders.latency.p99Ms < 50)} |`,
      '',
      ...rssTable(idle, loaded, 'RSS peak while taking 100 orders/s'),
    ].join('\n');
    return { title: 'Services', markdown };
  } finally {
    await sql.end();
    await stack.stop();
  }
}
