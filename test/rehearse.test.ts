import { afterAll, describe, expect, inject, it } from 'vitest';
import { alertCatalog, ruleGroup } from '../grafana/src/catalog.ts';
import { instanceName } from '../simulator/alert-instances.ts';
import type { RehearsalRow } from '../simulator/rehearsal.ts';
import { expectedFiringSeconds, phasedScenario, scenarioNames } from '../simulator/scenarios/registry.ts';
import { cliEnv, runCli } from '../simulator/testing/cli-process.ts';

// The whole alert lifecycle as a presenter checks it the night before, on the native stack with
// the rule preview evaluating the generated rules as Grafana would (10 s ticks, pending periods)
// against the real Prometheus, PostgreSQL and the Loki stand-in: each scenario fires exactly the
// instances the catalog names (firesIn) within its estimate plus one evaluation interval, nothing
// else leaves Normal, and after reset everything is Normal again within its resolve estimate.

const stack = inject('stack');
const env = cliEnv(stack);
const interval = ruleGroup.intervalSeconds;

afterAll(async () => {
  await runCli(['reset'], env);
});

describe('shopfast-sim rehearse on the native stack', () => {
  it('fires and resolves every expected alert on time, and nothing else', { timeout: 420_000 }, async () => {
    const started = Date.now();
    const outcome = await runCli(['rehearse', '--json', '--seed', '7'], env, 400_000);
    const seconds = (Date.now() - started) / 1000;
    const rows = outcome.events.filter(
      (event) => event.type === 'rehearsal-row',
    ) as unknown as (RehearsalRow & {
      verdict: string;
    })[];
    console.log(
      `[rehearse] ${seconds.toFixed(0)} s\n${rows
        .map(
          (row) =>
            `  ${row.scenario} ${row.uid} ${row.instance}: fired ${row.firedAtSeconds?.toFixed(1)} (≤ ${row.expectedFireSeconds} + ${interval}), resolved ${row.resolvedAtSeconds?.toFixed(1)} (≤ ${row.expectedResolveSeconds} + ${interval}) → ${row.verdict}`,
        )
        .join('\n')}`,
    );
    expect(outcome.events[0]).toMatchObject({ type: 'rehearsal-start', alertSource: 'preview' });
    expect(
      rows.filter((row) => row.kind === 'unexpected'),
      'alerts that should have stayed Normal',
    ).toEqual([]);

    // Exactly the catalog's instances, scenario by scenario.
    const scenarios = scenarioNames.filter((name) => name !== 'all');
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
    // normal expects nothing and fires nothing.
    expect(rows.filter((row) => row.scenario === 'normal')).toEqual([
      expect.objectContaining({ kind: 'quiet', problems: [] }),
    ]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.events.at(-1)).toMatchObject({ type: 'rehearsal', alertSource: 'preview', ok: true });
  });
});
