import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertCatalog, ruleGroup } from '../domain/alerts.ts';
import type { FaultReport } from '../domain/faults.ts';
import { scenarioNames } from '../domain/scenarios.ts';
import { serviceNames } from '../domain/services.ts';
import { cliEnv } from '../harness/cli-env.ts';
import type { CliOutcome } from '../harness/cli-output.ts';
import { runCli } from '../harness/cli-process.ts';
import type { StackInfo } from '../scripts/native/stack.ts';
import { instanceName } from '../simulator/alerts/instances.ts';
import type { RehearsalRow } from '../simulator/rehearsal/rehearsal.ts';
import type { PartSummary } from '../simulator/run/events.ts';
import { expectedFiringSeconds, phasedScenario } from '../simulator/scenarios/registry.ts';
import { recordedLogs } from './support/loki.ts';
import { queryPrometheus } from './support/prometheus.ts';
import { sql } from './support/stack.ts';
import { startTestStack, type TestStack } from './support/test-stack.ts';

// The whole alert lifecycle as a presenter checks it the night before, on the native stack with
// the rule preview evaluating the generated rules as Grafana would (10 s ticks, pending periods)
// against the real Prometheus, PostgreSQL and the Loki stand-in: each scenario fires exactly the
// instances the catalog names (firesIn) within its estimate plus one evaluation interval, nothing
// else leaves Normal, and after reset everything is Normal again within its resolve estimate.
// The same run is then read for what each scenario left in the data while it played (its time
// window): the rows, series and log lines behind the alerts, and the shop's own rules (no oversell,
// sold out never a 5xx, faults undone).
// Every scenario in turn takes over seven minutes, so the rehearsal runs in three parts,
// `shopfast-sim rehearse <scenarios…>` each on a stack of its own ("nothing else leaves
// Normal" holds only where nothing else sets faults or fails logins). The two scenarios that burn
// CPU share a part, one after the other, so their burns never meet.

const rehearsedScenarios = scenarioNames.filter((name) => name !== 'all');
const parts = [
  ['normal', 'flash-sale', 'payment-failures'],
  ['high-cpu', 'flapping'],
  ['security-breach', 'low-inventory', 'maintenance'],
];
const interval = ruleGroup.intervalSeconds;
const attackers = ['203.0.113.7', '203.0.113.45', '198.51.100.23'];

interface Rehearsal {
  scenarios: string[];
  stack: TestStack;
  db: ReturnType<typeof sql>;
  outcome: CliOutcome;
}

interface Played {
  from: Date;
  to: Date;
  summary: PartSummary;
  stack: StackInfo;
  lokiRecorderUrl: string | null;
  db: ReturnType<typeof sql>;
}

const running: Rehearsal[] = [];
const rows: (RehearsalRow & { verdict: string })[] = [];
const played = new Map<string, Played>();

async function rehearsePart(scenarios: string[], index: number): Promise<Rehearsal> {
  const stack = await startTestStack(`rehearsal-${index + 1}`);
  const part: Rehearsal = { scenarios, stack, db: sql(stack.info), outcome: undefined as never };
  running.push(part);
  const started = Date.now();
  // The stack's Alertmanager: maintenance needs it for its silence, and the rehearsal checks what
  // the status page heard from its receivers.
  const env = cliEnv(stack.info, { ALERTMANAGER_URL: stack.info.alertmanagerUrl ?? undefined });
  part.outcome = await runCli(['rehearse', '--json', '--seed', '7', ...scenarios], env, 480_000);
  const partRows = part.outcome.events.filter(
    (event) => event.type === 'rehearsal-row',
  ) as unknown as typeof rows;
  rows.push(...partRows);
  part.outcome.events.forEach((event, at) => {
    const time = new Date(part.outcome.receivedAt[at]!);
    if (event.type === 'start') {
      played.set(event.scenario as string, {
        from: time,
        to: time,
        summary: undefined as never,
        stack: stack.info,
        lokiRecorderUrl: stack.lokiRecorderUrl,
        db: part.db,
      });
    } else if (event.type === 'part-summary') {
      const run = played.get(event.scenario as string);
      if (run) Object.assign(run, { to: time, summary: event as unknown as PartSummary });
    }
  });
  console.log(
    `[rehearse ${scenarios.join(', ')}] ${((Date.now() - started) / 1000).toFixed(0)} s\n${partRows
      .map(
        (row) =>
          `  ${row.scenario} ${row.uid} ${row.instance}: fired ${row.firedAtSeconds?.toFixed(1)} (≤ ${row.expectedFireSeconds} + ${interval}), resolved ${row.resolvedAtSeconds?.toFixed(1)} (≤ ${row.expectedResolveSeconds} + ${interval}) → ${row.verdict}`,
      )
      .join('\n')}`,
  );
  return part;
}

// The part that burns CPU plays after the others, alone: on 2 cores its burn needs a whole core, which
// the other parts' stacks and traffic would otherwise take (high-cpu then never reaches 0.7).
const cpuPart = parts.findIndex((scenarios) => scenarios.includes('high-cpu'));

beforeAll(async () => {
  await Promise.all(
    parts.map((scenarios, index) => (index === cpuPart ? null : rehearsePart(scenarios, index))),
  );
  await rehearsePart(parts[cpuPart]!, cpuPart);
}, 840_000);

afterAll(async () => {
  for (const part of running) {
    await part.db.end();
    await part.stack.stop();
  }
});

function run(scenario: string): Played {
  const found = played.get(scenario);
  expect(found?.summary, `${scenario} was played to its summary`).toBeDefined();
  return found!;
}

/** A Prometheus instant query over exactly the scenario's window, evaluated at its end (its range is the window). */
async function overWindow(promql: (range: string) => string, { from, to, stack }: Played): Promise<number> {
  const range = `${Math.ceil((to.getTime() - from.getTime()) / 1000)}s`;
  const [sample] = await queryPrometheus(stack.prometheusUrl, promql(range), to);
  return sample?.value ?? Number.NaN;
}

async function paymentFailedLines({ from, to, lokiRecorderUrl }: Played) {
  const logs = await recordedLogs(lokiRecorderUrl, 'payment');
  return logs.filter((log) => {
    const at = Number(log.timeNs) / 1e6;
    return log.fields.msg === 'payment failed' && at >= from.getTime() && at <= to.getTime();
  });
}

describe('shopfast-sim rehearse on the native stack', () => {
  it('rehearses every scenario in exactly one part', () => {
    expect(parts.flat().sort()).toEqual([...rehearsedScenarios].sort());
  });

  it('fires and resolves every expected alert on time, and nothing else', () => {
    for (const { scenarios, outcome } of running) {
      expect(outcome.events[0]).toMatchObject({ type: 'rehearsal-start', alertSource: 'preview', scenarios });
    }
    expect(
      rows.filter((row) => row.kind === 'unexpected'),
      'alerts that should have stayed Normal',
    ).toEqual([]);

    // Exactly the catalog's instances, scenario by scenario.
    const expected = rehearsedScenarios.flatMap((name) =>
      alertCatalog.flatMap((alert) =>
        (alert.firesIn[name] ?? []).map((labels) => ({ name, alert, instance: instanceName(labels) })),
      ),
    );
    expect(
      rows
        .filter((row) => row.kind === 'expected')
        .map((row) => `${row.scenario} ${row.uid} ${row.instance}`)
        .sort(),
    ).toEqual(expected.map(({ name, alert, instance }) => `${name} ${alert.uid} ${instance}`).sort());
    for (const { name, alert, instance } of expected) {
      const row = rows.find((r) => r.scenario === name && r.uid === alert.uid && r.instance === instance)!;
      const what = `${name}: ${alert.uid} ${instance}`;
      const fireGoal = expectedFiringSeconds(phasedScenario(name), alert)! + interval;
      expect(row.firedAtSeconds, `${what} fired`).toBeDefined();
      expect(row.firedAtSeconds!, `${what} fired within ${fireGoal} s`).toBeLessThanOrEqual(fireGoal);
      expect(row.resolvedAtSeconds, `${what} resolved`).toBeDefined();
      expect(row.resolvedAtSeconds!, `${what} resolved in time`).toBeLessThanOrEqual(
        alert.expectedSecondsToResolve + interval,
      );
    }
    // normal expects nothing and fires nothing.
    expect(rows.filter((row) => row.scenario === 'normal')).toEqual([
      expect.objectContaining({ kind: 'quiet', problems: [] }),
    ]);
    for (const { outcome } of running) {
      expect(outcome.code, outcome.stderr).toBe(0);
      expect(outcome.events.at(-1)).toMatchObject({ type: 'rehearsal', alertSource: 'preview', ok: true });
    }
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

  it('high-cpu: the burned api kept answering its scrapes', async () => {
    const burn = run('high-cpu');
    expect(await overWindow((range) => `min_over_time(up{job="api"}[${range}])`, burn)).toBe(1);
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

  it('leaves no fault switched on at any service', async () => {
    for (const { stack } of running) {
      for (const service of serviceNames) {
        const response = await fetch(`${stack.info.urls[service]}/admin/faults`, {
          headers: { authorization: `Bearer ${stack.info.adminToken}` },
        });
        const report = (await response.json()) as FaultReport;
        expect(
          Object.values(report.faults).filter((value) => value !== 0),
          service,
        ).toEqual([]);
      }
    }
  });
});
