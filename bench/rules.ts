import { alertByUid } from '../grafana/src/catalog.ts';
import { stackInfoOf, startNativeStack } from '../scripts/native/stack.ts';
import { expectedAlerts, phasedScenario } from '../simulator/scenarios/registry.ts';
import type { ScenarioName } from '../simulator/scenarios/scenario.ts';
import { cliEnv, runCli, spawnCli } from '../simulator/testing/cli-process.ts';
import { connectDataSources } from '../simulator/preview/connect-sources.ts';
import { provisionedRuleGroups } from '../simulator/preview/rule-document.ts';
import { RulePreview } from '../simulator/preview/rule-preview.ts';
import { watchConditions } from '../test/support/preview-watch.ts';
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
  const sources = connectDataSources(stack);
  const preview = new RulePreview({ groups: provisionedRuleGroups(), sources: sources.sources });
  preview.start();
  const env = cliEnv(stackInfoOf(stack));
  const rows: string[] = [];
  const notEvaluated = new Map<string, string>();
  try {
    for (const name of scenarioOrder) {
      await runCli(['reset'], env);
      await watchConditions({ preview, deadlineMs: 90_000, done: (r) => r.latest.length === 0 });
      const scenario = phasedScenario(name);
      const expected = expectedAlerts(scenario).map((alert) => alert.uid);
      console.log(`  ${name}: waiting for ${expected.join(', ')}`);
      const cli = spawnCli(['run', name, '--json', '--seed', '7'], env, 300_000);
      const result = await watchConditions({
        preview,
        deadlineMs: 180_000,
        done: (r) => expected.every((uid) => uid in r.firstTrueMs || uid in r.notEvaluated),
      });
      cli.child.kill('SIGINT');
      await cli.exited;
      for (const uid of expected) {
        const alert = alertByUid(uid)!;
        if (uid in result.notEvaluated) {
          notEvaluated.set(uid, result.notEvaluated[uid]!);
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
    await preview.stop();
    await sources.close();
    await stack.stop();
  }
  const markdown = [
    'Native stack with Prometheus scraping every 5 s (as in Docker); each scenario at its full length and default rate;',
    "every rule evaluated by the rule preview on Grafana's aligned 10 s ticks against the real data sources",
    '(LogQL on the native runner’s Loki stand-in); "condition true" is the first tick the condition held.',
    '',
    '| alert | scenario | condition true after | pending | expected firing in Grafana | catalog estimate |',
    '|---|---|---|---|---|---|',
    ...rows,
    ...(notEvaluated.size
      ? ['', `Not evaluated here: ${[...notEvaluated].map(([uid, why]) => `${uid} (${why})`).join(', ')}.`]
      : []),
  ].join('\n');
  return { title: 'Alert rules: time to condition', markdown };
}
