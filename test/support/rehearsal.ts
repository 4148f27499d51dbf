import { expect } from 'vitest';
import { alertCatalog, ruleGroup } from '../../domain/alerts.ts';
import type { FaultReport } from '../../domain/faults.ts';
import { scenarioNames, type PhasedScenarioName } from '../../domain/scenarios.ts';
import { serviceNames } from '../../domain/services.ts';
import { cliEnv } from '../../harness/cli-env.ts';
import type { CliOutcome } from '../../harness/cli-output.ts';
import { runCli } from '../../harness/cli-process.ts';
import type { StackInfo } from '../../scripts/native/stack.ts';
import { instanceName } from '../../simulator/alerts/instances.ts';
import type { RehearsalRow } from '../../simulator/rehearsal/rehearsal.ts';
import type { PartSummary } from '../../simulator/run/events.ts';
import { expectedFiringSeconds, phasedScenario } from '../../simulator/scenarios/registry.ts';
import { queryPrometheus } from './prometheus.ts';
import { sql } from './stack.ts';
import { startTestStack, type TestStack } from './test-stack.ts';

// The whole alert lifecycle as a presenter checks it the night before, on the native stack with
// the rule preview evaluating the generated rules as Grafana would (10 s ticks, pending periods)
// against the real Prometheus, PostgreSQL and the Loki stand-in. Every scenario in turn takes over
// seven minutes, so the rehearsal runs in parts, `shopfast-sim rehearse <scenarios…>` each on a
// stack of its own ("nothing else leaves Normal" holds only where nothing else sets faults or fails
// logins), in two files played side by side:
// - test/rehearse.test.ts: the parts that burn no CPU, at the low priority of the rest of the suite;
// - test/rehearse-cpu.test.ts: the two scenarios that burn CPU (one after the other, so their burns
//   never meet), at full priority: on 2 cores the api's burn must get 0.7 of one.

export const quietParts: PhasedScenarioName[][] = [
  ['normal', 'flash-sale', 'payment-failures'],
  ['security-breach', 'low-inventory', 'maintenance'],
];
export const cpuPart: PhasedScenarioName[] = ['high-cpu', 'flapping'];

export const rehearsedScenarios = scenarioNames.filter((name) => name !== 'all');
const interval = ruleGroup.intervalSeconds;

type RowWithVerdict = RehearsalRow & { verdict: string };

/** What one scenario of a part left: its time window, summary and the stack it played on. */
export interface Played {
  from: Date;
  to: Date;
  summary: PartSummary;
  stack: StackInfo;
  lokiRecorderUrl: string | null;
  db: ReturnType<typeof sql>;
}

export interface Rehearsal {
  scenarios: PhasedScenarioName[];
  stack: TestStack;
  db: ReturnType<typeof sql>;
  outcome: CliOutcome;
  rows: RowWithVerdict[];
  played: Map<string, Played>;
}

/** Plays `scenarios` with `shopfast-sim rehearse --json` on a stack of their own, and prints the rows. */
export async function rehearsePart(scenarios: PhasedScenarioName[], name: string): Promise<Rehearsal> {
  // The part that burns CPU keeps its stack at full priority: its api must get 0.7 of a core.
  const stack = await startTestStack(name, { fullPriority: scenarios.some((s) => cpuPart.includes(s)) });
  const db = sql(stack.info);
  const started = Date.now();
  // The stack's Alertmanager: maintenance needs it for its silence, and the rehearsal checks what
  // the status page heard from its receivers.
  const env = cliEnv(stack.info, { ALERTMANAGER_URL: stack.info.alertmanagerUrl ?? undefined });
  const outcome = await runCli(['rehearse', '--json', '--seed', '7', ...scenarios], env, 480_000);
  const rows = outcome.events.filter(
    (event) => event.type === 'rehearsal-row',
  ) as unknown as RowWithVerdict[];
  const played = new Map<string, Played>();
  outcome.events.forEach((event, at) => {
    const time = new Date(outcome.receivedAt[at]!);
    if (event.type === 'start') {
      played.set(event.scenario as string, {
        from: time,
        to: time,
        summary: undefined as never,
        stack: stack.info,
        lokiRecorderUrl: stack.lokiRecorderUrl,
        db,
      });
    } else if (event.type === 'part-summary') {
      const run = played.get(event.scenario as string);
      if (run) Object.assign(run, { to: time, summary: event as unknown as PartSummary });
    }
  });
  console.log(
    `[rehearse ${scenarios.join(', ')}] ${((Date.now() - started) / 1000).toFixed(0)} s\n${rows
      .map(
        (row) =>
          `  ${row.scenario} ${row.uid} ${row.instance}: fired ${row.firedAtSeconds?.toFixed(1)} (≤ ${row.expectedFireSeconds} + ${interval}), resolved ${row.resolvedAtSeconds?.toFixed(1)} (≤ ${row.expectedResolveSeconds} + ${interval}) → ${row.verdict}`,
      )
      .join('\n')}`,
  );
  return { scenarios, stack, db, outcome, rows, played };
}

export async function stopRehearsals(rehearsals: Rehearsal[]): Promise<void> {
  for (const part of rehearsals) {
    await part.db.end();
    await part.stack.stop();
  }
}

/** The scenario's run, once it was played to its summary. */
export function playedRun(rehearsals: Rehearsal[], scenario: string): Played {
  const found = rehearsals.map((part) => part.played.get(scenario)).find(Boolean);
  expect(found?.summary, `${scenario} was played to its summary`).toBeDefined();
  return found!;
}

/**
 * Each scenario fires exactly the instances the catalog names (firesIn) within its estimate plus one
 * evaluation interval, nothing else leaves Normal, and after reset everything is Normal again within
 * its resolve estimate; normal fires nothing.
 */
export function expectLifecycleOnTime(rehearsals: Rehearsal[]): void {
  const rows = rehearsals.flatMap((part) => part.rows);
  const scenarios = rehearsals.flatMap((part) => part.scenarios);
  for (const { scenarios: partScenarios, outcome } of rehearsals) {
    expect(outcome.events[0]).toMatchObject({
      type: 'rehearsal-start',
      alertSource: 'preview',
      scenarios: partScenarios,
    });
  }
  expect(
    rows.filter((row) => row.kind === 'unexpected'),
    'alerts that should have stayed Normal',
  ).toEqual([]);

  // Exactly the catalog's instances, scenario by scenario.
  const expected = scenarios.flatMap((name) =>
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
  if (scenarios.includes('normal')) {
    expect(rows.filter((row) => row.scenario === 'normal')).toEqual([
      expect.objectContaining({ kind: 'quiet', problems: [] }),
    ]);
  }
  for (const { outcome } of rehearsals) {
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.events.at(-1)).toMatchObject({ type: 'rehearsal', alertSource: 'preview', ok: true });
  }
}

/** A Prometheus instant query over exactly the scenario's window, evaluated at its end (its range is the window). */
export async function overWindow(
  promql: (range: string) => string,
  { from, to, stack }: Played,
): Promise<number> {
  const range = `${Math.ceil((to.getTime() - from.getTime()) / 1000)}s`;
  const [sample] = await queryPrometheus(stack.prometheusUrl, promql(range), to);
  return sample?.value ?? Number.NaN;
}

/** Every fault the rehearsal set is off again, at every service of every part's stack. */
export async function expectNoFaultLeft(rehearsals: Rehearsal[]): Promise<void> {
  for (const { stack } of rehearsals) {
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
}
