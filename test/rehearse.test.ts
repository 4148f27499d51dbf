import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceNames } from '../domain/services.ts';
import { recordedLogs } from './support/loki.ts';
import {
  cpuPart,
  expectLifecycleOnTime,
  expectNoFaultLeft,
  overWindow,
  playedRun,
  quietParts,
  rehearsedScenarios,
  rehearsePart,
  stopRehearsals,
  type Played,
  type Rehearsal,
} from './support/rehearsal.ts';

// The rehearsal's parts that burn no CPU, side by side (test/support/rehearsal.ts says how the
// rehearsal is split; test/rehearse-cpu.test.ts plays the rest at the same time). Then what each
// scenario left in the data while it played (its time window): the rows, series and log lines behind
// the alerts, and the shop's own rules (no oversell, sold out never a 5xx, faults undone).

const attackers = ['203.0.113.7', '203.0.113.45', '198.51.100.23'];
const rehearsals: Rehearsal[] = [];
const run = (scenario: string) => playedRun(rehearsals, scenario);

beforeAll(async () => {
  await Promise.all(
    quietParts.map(async (scenarios, index) =>
      rehearsals.push(await rehearsePart(scenarios, `rehearsal-${index + 1}`)),
    ),
  );
}, 600_000);

afterAll(() => stopRehearsals(rehearsals));

async function paymentFailedLines({ from, to, lokiRecorderUrl }: Played) {
  const logs = await recordedLogs(lokiRecorderUrl, 'payment');
  return logs.filter((log) => {
    const at = Number(log.timeNs) / 1e6;
    return log.fields.msg === 'payment failed' && at >= from.getTime() && at <= to.getTime();
  });
}

describe('shopfast-sim rehearse on the native stack', () => {
  it('rehearses every scenario in exactly one part', () => {
    expect([...quietParts.flat(), ...cpuPart].sort()).toEqual([...rehearsedScenarios].sort());
  });

  it('fires and resolves every expected alert on time, and nothing else', () => {
    expectLifecycleOnTime(rehearsals);
  });

  it('normal: shoppers served, no server error anywhere, no failed payment logged', async () => {
    const normal = run('normal');
    expect(normal.summary.journeys).toBeGreaterThan(20);
    for (const service of serviceNames) {
      const errors = await overWindow(
        (range) =>
          `sum(increase(http_requests_total{service="${service}",status=~"5.."}[${range}])) or vector(0)`,
        normal,
      );
      expect(errors, `${service} 5xx during normal`).toBe(0);
    }
    expect(await paymentFailedLines(normal)).toEqual([]);
  });

  // Sold out answering 409 insufficient_stock is orders.test.ts's and orders-concurrency.test.ts's: the
  // rehearsal stops once the alerts fire, which may be before the last unit goes.
  it('flash-sale: the featured product is never oversold, and selling out never answers a 5xx', async () => {
    const sale = run('flash-sale');
    const [sold] = await sale.db<{ units: number; seed: number }[]>`
      SELECT coalesce(sum(oi.quantity), 0)::int AS units,
             (SELECT seed_stock FROM products WHERE sku = 'SF-1001') AS seed
      FROM order_items oi JOIN orders o ON o.id = oi.order_id
      WHERE oi.sku = 'SF-1001' AND o.status = 'paid'
        AND o.created_at BETWEEN ${sale.from} AND ${sale.to}`;
    expect(sold!.units).toBeGreaterThan(0);
    expect(sold!.units).toBeLessThanOrEqual(sold!.seed);
    const statuses = sale.summary.statusCounts;
    expect(Object.keys(statuses).filter((status) => status.startsWith('5'))).toEqual([]);
  });

  it('payment-failures: "payment failed" lines with their reason pushed to Loki, the fault undone', async () => {
    const failures = run('payment-failures');
    const lines = await paymentFailedLines(failures);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(lines.every((line) => line.labels.level === 'error' && Boolean(line.fields.reason))).toBe(true);
    expect(failures.summary.faultsUndone).toEqual(['payment']);
  });

  it('security-breach: the failed logins come from the attackers’ addresses, for the two accounts', async () => {
    const breach = run('security-breach');
    const attempts = await breach.db<{ client_ip: string; username: string }[]>`
      SELECT client_ip, username FROM login_attempts
      WHERE NOT success AND created_at BETWEEN ${breach.from} AND ${breach.to}`;
    expect(attempts.length).toBeGreaterThanOrEqual(5);
    const ips = new Set(attempts.map((row) => row.client_ip));
    expect([...ips].filter((ip) => !attackers.includes(ip))).toEqual([]);
    expect(ips.size).toBeGreaterThanOrEqual(2);
    expect(new Set(attempts.map((row) => row.username))).toEqual(
      new Set(['alice@shopfast.local', 'bob@shopfast.local']),
    );
  });

  it('leaves no fault switched on at any service', () => expectNoFaultLeft(rehearsals));
});
