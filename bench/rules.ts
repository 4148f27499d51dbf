import postgres from 'postgres';
import { alertByUid } from '../grafana/src/catalog.ts';
import { stackInfoOf, startNativeStack } from '../scripts/native/stack.ts';
import { expectedAlerts, phasedScenario } from '../simulator/scenarios/registry.ts';
import type { ScenarioName } from '../simulator/scenarios/scenario.ts';
import { cliEnv, runCli, spawnCli } from '../simulator/testing/cli-process.ts';
import { loadProvisionedRules, type DataSources } from '../test/support/rule-evaluator.ts';
import { watchRules } from '../test/support/rule-watch.ts';
import type { BenchSection } from './autocannon.ts';

const scenarioOrder: Exclude<ScenarioName, 'all' | 'normal'>[] = [
  'security-breach',
  'low-inventory',
  'flash-sale',
  'high-cpu',
  'payment-failures',
];

/**
 * Time from each scenario's start (full length, default rates) until its rules' conditions are true,
 * with Prometheus scraping every 5 s as on the Docker stack. Grafana then needs the pending period
 * and up to one evaluation interval more to show the alert firing.
 */
export async function benchRules(): Promise<BenchSection> {
  const stack = await startNativeStack({
    ports: 'random',
    prometheus: true,
    scrapeIntervalSeconds: 5,
    output: 'quiet',
  });
  const db = postgres(stack.databaseUrl, { max: 2, onnotice: () => {} });
  const sources: DataSources = { prometheusUrl: stack.prometheusUrl, sql: db, lokiUrl: null };
  const rules = loadProvisionedRules();
  const env = cliEnv(stackInfoOf(stack));
  const rows: string[] = [];
  const notEvaluated = new Set<string>();
  try {
    for (const name of scenarioOrder) {
      await runCli(['reset'], env);
      await watchRules({ rules, sources, deadlineMs: 90_000, done: (r) => r.latest.length === 0 });
      const scenario = phasedScenario(name);
      const expected = expectedAlerts(scenario).map((alert) => alert.uid);
      console.log(`  ${name}: waiting for ${expected.join(', ')}`);
      const cli = spawnCli(['run', name, '--json', '--seed', '7'], env, 300_000);
      const result = await watchRules({
        rules,
        sources,
        deadlineMs: 180_000,
        done: (r) => expected.every((uid) => uid in r.firstTrueMs || uid in r.notEvaluated),
      });
      cli.child.kill('SIGINT');
      await cli.exited;
      for (const uid of expected) {
        const alert = alertByUid(uid)!;
        if (uid in result.notEvaluated) {
          notEvaluated.add(uid);
          continue;
        }
        const conditionSeconds = result.firstTrueMs[uid];
        const measured =
          conditionSeconds === undefined
            ? 'not true within 180 s'
            : `${(conditionSeconds / 1000).toFixed(0)} s`;
        const firing =
          conditionSeconds === undefined
            ? '—'
            : `${(conditionSeconds / 1000 + alert.timing.pendingSeconds).toFixed(0)}–${(conditionSeconds / 1000 + alert.timing.pendingSeconds + alert.timing.evaluationWaitSeconds).toFixed(0)} s`;
        rows.push(
          `| ${uid} | ${name} | ${measured} | ${alert.pendingPeriod} | ${firing} | ${alert.expectedSecondsToFire} s |`,
        );
      }
    }
  } finally {
    await runCli(['reset'], env);
    await db.end();
    await stack.stop();
  }
  const markdown = [
    'Native stack with Prometheus scraping every 5 s (as in Docker); each scenario at its full length and default rate;',
    'every rule evaluated once a second against the real data sources.',
    '',
    '| alert | scenario | condition true after | pending | expected firing in Grafana | catalog estimate |',
    '|---|---|---|---|---|---|',
    ...rows,
    ...(notEvaluated.size
      ? ['', `Not evaluated here (no Loki on this machine): ${[...notEvaluated].join(', ')}.`]
      : []),
  ].join('\n');
  return { title: 'Alert rules: time to condition', markdown };
}
