import { mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { freePorts } from '../scripts/native/ports.ts';
import { spawnService, waitForService, type RunningService } from '../scripts/native/services.ts';
import { startNativeStack, type NativeStack } from '../scripts/native/stack.ts';
import { startTraffic, type TrafficReport, type TrafficStage } from '../simulator/engine/traffic-engine.ts';
import type { BenchSection } from './autocannon.ts';
import { ordersAtRate, stockBenchProduct } from './order-traffic.ts';
import { verdict } from './results-file.ts';

// Orders at a demo's pace while a brute force sends 200 logins/s, each costing one scrypt
// (~50 ms of a core): the api as shipped (scrypt gated) against the same code with the gate opened.
const ORDER_RATE = 20;
const LOGIN_RATE = 200;
const SECONDS = 15;
const benchSku = 'BENCH-LOGIN-0001';
// The target: a flood may cost orders some latency, but not more than double it.
const P99_FACTOR = 2;

const fmt = (n: number, digits = 1) => n.toFixed(digits);

function constantStage(rate: number, run: TrafficStage['pickAction']): TrafficStage {
  return { durationSeconds: SECONDS, fromRate: rate, toRate: rate, pickAction: run };
}

const orders = (apiUrl: string) =>
  ordersAtRate(apiUrl, { sku: benchSku, rate: ORDER_RATE, seconds: SECONDS, seed: 11 });

/** Wrong passwords for an unknown address: the api checks them against its decoy hash (one scrypt each). */
function loginFlood(apiUrl: string): Promise<TrafficReport> {
  return startTraffic({
    stages: [
      constantStage(LOGIN_RATE, (random) => ({
        name: 'login',
        run: async (context) => {
          const password = `guess-${Math.floor(random() * 1e9)}`;
          const res = await context.send({
            origin: apiUrl,
            path: '/api/login',
            method: 'POST',
            json: { email: 'intruder@bench.invalid', password },
          });
          if (res.status !== 401 && res.status !== 429) throw new Error(`login answered ${res.status}`);
        },
      })),
    ],
    maxInFlight: 1_000,
    maxArrivals: LOGIN_RATE * SECONDS + 1,
    connectionsPerOrigin: 256,
    seed: 12,
  }).finished;
}

interface Phase {
  orders: TrafficReport;
  logins: TrafficReport | null;
}

async function phase(apiUrl: string, withFlood: boolean): Promise<Phase> {
  const [orderReport, loginReport] = await Promise.all([
    orders(apiUrl),
    withFlood ? loginFlood(apiUrl) : Promise.resolve(null),
  ]);
  return { orders: orderReport, logins: loginReport };
}

/** The same api, on its own port, with scrypt free to take every libuv thread as before the gate. */
async function startUngatedApi(stack: NativeStack): Promise<RunningService> {
  const [port] = (await freePorts(1)) as [number];
  const api = spawnService({
    name: 'api',
    env: {
      DATABASE_URL: stack.databaseUrl,
      INVENTORY_URL: stack.urls.inventory,
      PAYMENT_URL: stack.urls.payment,
      ADMIN_TOKEN: stack.adminToken,
      LOG_LEVEL: 'warn',
      LOGIN_SCRYPT_CONCURRENCY: '10000',
      LOGIN_SCRYPT_QUEUE: '10000',
    },
    port,
    fromDist: false,
    output: 'quiet',
    logDir: mkdtempSync(join(tmpdir(), 'shopfast-bench-login-')),
  });
  await waitForService(api);
  return api;
}

function ordersCell(report: TrafficReport): string {
  const failed = report.requests - (report.statusCounts['201'] ?? 0);
  return `p50 ${fmt(report.latency.p50Ms)} ms, p99 ${fmt(report.latency.p99Ms)} ms (${report.requests} orders, ${failed} not 201, ${report.dropped} dropped)`;
}

function loginsCell(report: TrafficReport | null): string {
  if (!report) return '—';
  const checked = report.statusCounts['401'] ?? 0;
  const refused = report.statusCounts['429'] ?? 0;
  return `${fmt(report.achievedRate, 0)}/s sent; ${checked} checked (401), ${refused} refused at once (429), ${report.failedRequests} failed, ${report.dropped} dropped; p99 ${fmt(report.latency.p99Ms)} ms`;
}

/** Orders p99 with and without a login flood, scrypt gated (as shipped) and not. */
export async function benchLoginFlood(): Promise<BenchSection> {
  // The payment gateway's simulated 100-500 ms would hide what the flood does to the api.
  process.env.PAYMENT_PROCESSING_MS = '0-0';
  const stack = await startNativeStack({ ports: 'random', prometheus: false, output: 'quiet' });
  const sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
  let ungated: RunningService | undefined;
  try {
    await stockBenchProduct(sql, benchSku);
    ungated = await startUngatedApi(stack);
    const loadBefore = loadavg()[0]!;
    await phase(stack.urls.api, false); // warm-up: JIT, pools, caches
    const quiet = await phase(stack.urls.api, false);
    const gatedFlood = await phase(stack.urls.api, true);
    const ungatedFlood = await phase(ungated.url, true);

    const loadAfter = loadavg()[0]!;
    const limit = quiet.orders.latency.p99Ms * P99_FACTOR;
    const withinLimit = (p99: number) => verdict(p99 <= limit);
    const markdown = [
      `Native stack (services under tsx, payment time set to 0), orders at ${ORDER_RATE}/s for ${SECONDS} s, open loop; the flood sends ${LOGIN_RATE} wrong-password logins/s at the same api during the same ${SECONDS} s. Target for every row with a flood: orders p99 at most ${P99_FACTOR} × the p99 without one (here ${fmt(limit)} ms). Gated: the api as shipped (scrypt on half the cores at once, 16 waiting); not gated: the same api with LOGIN_SCRYPT_CONCURRENCY and _QUEUE at 10000.`,
      '',
      `Machine load (1-minute average) ${fmt(loadBefore)} before, ${fmt(loadAfter)} after, on ${availableParallelism()} cores: above the core count, every figure here includes waiting for a CPU.`,
      '',
      '| run | orders | logins | target |',
      '|---|---|---|---|',
      `| no logins | ${ordersCell(quiet.orders)} | — | baseline |`,
      `| ${LOGIN_RATE} logins/s, scrypt gated (as shipped) | ${ordersCell(gatedFlood.orders)} | ${loginsCell(gatedFlood.logins)} | p99 ≤ ${fmt(limit)} ms: ${withinLimit(gatedFlood.orders.latency.p99Ms)} |`,
      `| ${LOGIN_RATE} logins/s, scrypt not gated | ${ordersCell(ungatedFlood.orders)} | ${loginsCell(ungatedFlood.logins)} | p99 ≤ ${fmt(limit)} ms: ${withinLimit(ungatedFlood.orders.latency.p99Ms)} |`,
    ].join('\n');
    return { title: 'Orders during a login flood', markdown };
  } finally {
    await ungated?.child.stop();
    await sql.end();
    await stack.stop();
  }
}

// `npx tsx bench/login-flood.ts` runs this benchmark alone and prints its section.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const section = await benchLoginFlood();
  console.log(`## ${section.title}\n\n${section.markdown}`);
}
