import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { freePorts } from '../scripts/native/ports.ts';
import { repoRoot } from '../scripts/native/paths.ts';
import { startNativeStack, type NativeStack, type ServiceName } from '../scripts/native/stack.ts';
import { startTraffic, type TrafficReport } from '../simulator/engine/traffic-engine.ts';
import { autocannon, type BenchSection } from './autocannon.ts';

const CONNECTIONS = 20;
const THROUGHPUT_SECONDS = 10;
const ORDER_RATE = 100;
const ORDER_SECONDS = 20;
const benchSku = 'BENCH-0001';

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024;
}

function rssAll(stack: NativeStack): Record<ServiceName, number> {
  const pids = stack.servicePids;
  return {
    api: rssMiB(pids.api),
    frontend: rssMiB(pids.frontend),
    payment: rssMiB(pids.payment),
    inventory: rssMiB(pids.inventory),
  };
}

async function withBareServer<T>(databaseUrl: string, use: (url: string) => Promise<T>): Promise<T> {
  const [port] = await freePorts(1);
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-products-server.ts'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await once(child.stdout!, 'data');
  try {
    return await use(`http://127.0.0.1:${port}`);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

async function ordersAtFixedRate(apiUrl: string): Promise<TrafficReport> {
  const order = {
    items: [{ sku: benchSku, quantity: 1 }],
    paymentMethod: 'card',
    customerEmail: 'bench@shopfast.local',
  };
  return startTraffic({
    stages: [
      {
        durationSeconds: ORDER_SECONDS,
        fromRate: ORDER_RATE,
        toRate: ORDER_RATE,
        pickAction: () => ({
          name: 'order',
          run: async (context) => {
            const res = await context.send({
              origin: apiUrl,
              path: '/api/orders',
              method: 'POST',
              json: order,
            });
            if (res.status !== 201) throw new Error(`order answered ${res.status}`);
          },
        }),
      },
    ],
    maxInFlight: 200,
    maxArrivals: ORDER_RATE * ORDER_SECONDS + 1,
    seed: 7,
  }).finished;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** The kit's overhead, order latency against real PostgreSQL, and each service's memory. */
export async function benchServices(): Promise<BenchSection> {
  // The payment gateway's simulated 100-500 ms would hide the services' own latency.
  process.env.PAYMENT_PROCESSING_MS = '0-0';
  const stack = await startNativeStack({ ports: 'random', prometheus: false, output: 'quiet' });
  const sql = postgres(stack.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`INSERT INTO products (sku, name, description, price_cents, stock, seed_stock, low_stock_threshold)
      VALUES (${benchSku}, 'Benchmark widget', 'Stock for the order benchmark', 100, 1000000, 1000000, 0)
      ON CONFLICT (sku) DO UPDATE SET stock = 1000000`;
    const idle = rssAll(stack);
    const productsUrl = (base: string) => `${base}/api/products`;
    let loaded = idle;
    const sampler = setInterval(() => {
      const now = rssAll(stack);
      loaded = Object.fromEntries(
        Object.entries(now).map(([name, mib]) => [name, Math.max(mib, loaded[name as ServiceName])]),
      ) as Record<ServiceName, number>;
    }, 500);
    await autocannon({ url: productsUrl(stack.urls.api), connections: CONNECTIONS, duration: 2 }); // warm-up
    const kit = await autocannon({
      url: productsUrl(stack.urls.api),
      connections: CONNECTIONS,
      duration: THROUGHPUT_SECONDS,
    });
    const bare = await withBareServer(stack.databaseUrl, async (url) => {
      await autocannon({ url: productsUrl(url), connections: CONNECTIONS, duration: 2 });
      return autocannon({ url: productsUrl(url), connections: CONNECTIONS, duration: THROUGHPUT_SECONDS });
    });
    const orders = await ordersAtFixedRate(stack.urls.api);
    clearInterval(sampler);
    const failedOrders = orders.requests - (orders.statusCounts['201'] ?? 0);

    const markdown = [
      `Native stack (PostgreSQL 15 from Debian, services under tsx), autocannon with ${CONNECTIONS} connections.`,
      '',
      '| measure | value |',
      '|---|---|',
      `| GET /api/products through the full kit (${THROUGHPUT_SECONDS} s) | ${fmt(kit.requests.average, 0)} req/s, p50 ${kit.latency.p50} ms, p99 ${kit.latency.p99} ms, non-2xx ${kit.non2xx} |`,
      `| same handler on a bare Hono app | ${fmt(bare.requests.average, 0)} req/s, p50 ${bare.latency.p50} ms, p99 ${bare.latency.p99} ms, non-2xx ${bare.non2xx} |`,
      `| ratio kit / bare (target ≥ 0.85) | ${fmt(kit.requests.average / bare.requests.average, 2)} |`,
      `| POST /api/orders at ${ORDER_RATE}/s for ${ORDER_SECONDS} s, open loop (payment time set to 0) | achieved ${fmt(orders.achievedRate)}/s, p50 ${fmt(orders.latency.p50Ms)} ms, p99 ${fmt(orders.latency.p99Ms)} ms (target < 50 ms), failed ${failedOrders}, dropped ${orders.dropped} |`,
      '',
      '| service | RSS idle | RSS peak during the runs above |',
      '|---|---|---|',
      ...(Object.keys(idle) as ServiceName[]).map(
        (name) => `| ${name} | ${fmt(idle[name])} MiB | ${fmt(loaded[name])} MiB |`,
      ),
    ].join('\n');
    return { title: 'Services', markdown };
  } finally {
    await sql.end();
    await stack.stop();
  }
}
