import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { cliEnv, runCli, spawnCli, type CliOutcome } from '../simulator/testing/cli-process.ts';
import { serviceNames } from '../services/kit/service-catalog.ts';
import { recordedLogs } from './support/loki.ts';
import { queryPrometheus } from './support/prometheus.ts';
import { sql } from './support/stack.ts';
import { waitFor } from './support/wait-for.ts';

// Each scenario, shortened with --duration/--rate, must leave its signal in the real data:
// PostgreSQL rows, Prometheus series, log lines pushed to the Loki stand-in.

const stack = inject('stack');
const lokiRecorderUrl = inject('lokiRecorderUrl');
const env = cliEnv(stack);
const db = sql(stack);

beforeEach(async () => {
  const reset = await runCli(['reset'], env);
  expect(reset.code, reset.stderr).toBe(0);
});

afterAll(async () => {
  await runCli(['reset'], env);
  await db.end();
});

async function play(args: string[]): Promise<{ outcome: CliOutcome; summary: Record<string, unknown> }> {
  const outcome = await runCli(['run', ...args, '--json', '--seed', '7'], env);
  expect(outcome.code, outcome.stderr).toBe(0);
  const summary = outcome.events.find((event) => event.type === 'part-summary');
  expect(summary).toBeDefined();
  return { outcome, summary: summary! };
}

/** A PromQL range covering everything since `start` (and nothing much before it). */
function since(start: number): string {
  return `${Math.ceil((Date.now() - start) / 1000) + 1}s`;
}

async function fiveXxShare(service: string, start: number): Promise<number> {
  const window = since(start);
  const [sample] = await queryPrometheus(
    stack.prometheusUrl,
    `sum(increase(http_requests_total{service="${service}",status=~"5.."}[${window}]))` +
      ` / sum(increase(http_requests_total{service="${service}"}[${window}]))`,
  );
  return sample?.value ?? 0;
}

async function failedLoginsInView(): Promise<number> {
  const [row] = await db<{ n: number }[]>`SELECT failed_last_5m::int AS n FROM alert_failed_logins`;
  return row!.n;
}

async function seedProducts() {
  return db<{ sku: string; stock: number; low_stock_threshold: number }[]>`
    SELECT sku, stock, low_stock_threshold FROM products WHERE sku LIKE 'SF-%' ORDER BY sku`;
}

async function paymentFailedLines(start: number) {
  const logs = await recordedLogs(lokiRecorderUrl, 'payment');
  return logs.filter(
    (log) =>
      log.fields.msg === 'payment failed' &&
      log.labels.level === 'error' &&
      Number(log.timeNs) / 1e6 >= start,
  );
}

describe('scenarios produce their signals in the real data', { timeout: 60_000 }, () => {
  it('normal: none of the incident signals', async () => {
    const start = Date.now();
    const { summary } = await play(['normal', '--duration', '10']);
    expect(summary.journeys).toBeGreaterThan(50);
    for (const service of serviceNames) {
      expect(await fiveXxShare(service, start), service).toBe(0);
    }
    expect(await failedLoginsInView()).toBe(0);
    for (const product of await seedProducts()) {
      expect(product.stock, product.sku).toBeGreaterThan(product.low_stock_threshold);
    }
    expect(await paymentFailedLines(start)).toEqual([]);
  });

  it('security-breach: ≥ 5 failed logins in the last 5 minutes, from the attackers’ addresses', async () => {
    await play(['security-breach', '--duration', '8']);
    expect(await failedLoginsInView()).toBeGreaterThanOrEqual(5);
    const rows = await db<{ client_ip: string; username: string }[]>`
      SELECT DISTINCT client_ip, username FROM login_attempts
      WHERE NOT success AND NOT cleared AND created_at > now() - interval '5 minutes'`;
    const ips = new Set(rows.map((row) => row.client_ip));
    expect([...ips].every((ip) => ['203.0.113.7', '203.0.113.45', '198.51.100.23'].includes(ip))).toBe(true);
    expect(ips.size).toBeGreaterThanOrEqual(2);
    expect(new Set(rows.map((row) => row.username))).toEqual(
      new Set(['alice@shopfast.local', 'bob@shopfast.local']),
    );
  });

  it('payment-failures: ≥ 6 "payment failed" lines pushed by payment, 5xx share > 10 %, fault undone', async () => {
    const start = Date.now();
    const { summary } = await play(['payment-failures', '--duration', '15']);
    expect(summary.faultsUndone).toEqual(['payment']);
    const lines = await waitFor('six "payment failed" lines', async () => {
      const found = await paymentFailedLines(start);
      return found.length >= 6 && found;
    });
    expect(lines[0]!.fields.reason).toBeTruthy();
    const share = await waitFor('the 5xx share at payment above 10 %', async () => {
      const value = await fiveXxShare('payment', start);
      return value > 0.1 && value;
    });
    expect(share).toBeGreaterThan(0.1);
    const faults = await fetch(`${stack.urls.payment}/admin/faults`, {
      headers: { authorization: `Bearer ${stack.adminToken}` },
    });
    expect(
      ((await faults.json()) as { faults: { gatewayFailureRate: number } }).faults.gatewayFailureRate,
    ).toBe(0);
  });

  it('low-inventory: the drained products reach their thresholds, never the critical level', async () => {
    // At three times the rate, concurrent shoppers overshoot the threshold (each checks the stock first).
    await play(['low-inventory', '--duration', '25', '--rate', '2']);
    const products = await seedProducts();
    for (const sku of ['SF-1004', 'SF-1008']) {
      const product = products.find((p) => p.sku === sku)!;
      expect(product.stock, sku).toBeLessThanOrEqual(product.low_stock_threshold);
      expect(product.stock, sku).toBeGreaterThan(5);
    }
    expect(Math.min(...products.map((p) => p.stock))).toBeGreaterThanOrEqual(0);
  });

  it('flash-sale: the featured product sells out to the critical level, never oversold', async () => {
    const start = new Date();
    const { summary } = await play(['flash-sale', '--duration', '25', '--rate', '2']);
    const [featured] = await db<{ stock: number; seed_stock: number; low_stock_threshold: number }[]>`
      SELECT stock, seed_stock, low_stock_threshold FROM products WHERE sku = 'SF-1001'`;
    expect(featured!.stock).toBeLessThanOrEqual(5);
    expect(featured!.stock).toBeGreaterThanOrEqual(0);
    const [sold] = await db<{ units: number }[]>`
      SELECT coalesce(sum(oi.quantity), 0)::int AS units
      FROM order_items oi JOIN orders o ON o.id = oi.order_id
      WHERE oi.sku = 'SF-1001' AND o.status = 'paid' AND o.created_at >= ${start}`;
    // Every unit sold left the stock, and nothing was sold beyond it.
    expect(sold!.units + featured!.stock).toBe(featured!.seed_stock);
    // Sold out answers 409, not a server error.
    const statuses = summary.statusCounts as Record<string, number>;
    expect(statuses['409']).toBeGreaterThan(0);
    expect(Object.keys(statuses).filter((status) => status.startsWith('5'))).toEqual([]);
  });

  it(
    'high-cpu: the burned api passes 0.7 CPU in Prometheus while its scrapes succeed, p95 > 1 s',
    { timeout: 90_000 },
    async () => {
      const cli = spawnCli(['run', 'high-cpu', '--duration', '58', '--json', '--seed', '7'], env);
      try {
        await cli.waitForEvent((event) => event.type === 'phase' && event.phase === 'cpu burning', 15_000);
        const cpu = await waitFor(
          'rate(process_cpu_seconds_total{service="api"}[1m]) above 0.7',
          async () => {
            const [sample] = await queryPrometheus(
              stack.prometheusUrl,
              'rate(process_cpu_seconds_total{service="api"}[1m])',
            );
            return sample !== undefined && sample.value > 0.7 && sample.value;
          },
          { timeoutMs: 50_000, intervalMs: 2_000 },
        );
        expect(cpu).toBeGreaterThan(0.7);
        const [up] = await queryPrometheus(stack.prometheusUrl, 'up{job="api"}');
        expect(up?.value).toBe(1);
        const [p95] = await queryPrometheus(
          stack.prometheusUrl,
          'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="api"}[1m])))',
        );
        expect(p95?.value).toBeGreaterThan(1);
      } finally {
        cli.child.kill('SIGINT');
      }
      const outcome = await cli.exited;
      expect(outcome.code).toBe(130);
    },
  );
});
