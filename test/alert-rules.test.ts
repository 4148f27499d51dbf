import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { alertCatalog } from '../grafana/src/catalog.ts';
import { cliEnv, runCli, spawnCli } from '../simulator/testing/cli-process.ts';
import { connectDataSources } from '../simulator/preview/connect-sources.ts';
import { provisionedRuleGroups } from '../simulator/preview/rule-document.ts';
import { RulePreview } from '../simulator/preview/rule-preview.ts';
import { clearRecordedLogs } from './support/loki.ts';
import { watchConditions } from './support/preview-watch.ts';

// The generated Grafana rules, evaluated by the rule preview on Grafana's 10 s ticks against the
// real data sources: the rule set is the catalog's, and under normal traffic every condition stays
// false. PromQL runs on a real Prometheus scraping every second, SQL on the stack's PostgreSQL,
// LogQL on the Loki stand-in (or the real Loki that LOKI_URL names). What each scenario fires, and
// how soon, is test/rehearse.test.ts: `shopfast-sim rehearse` plays them all.

const stack = inject('stack');
const env = cliEnv(stack);
const lokiStandInUrl = inject('lokiRecorderUrl');
const groups = provisionedRuleGroups();
const rules = groups.flatMap((g) => g.rules);
const sources = connectDataSources(stack);
const preview = new RulePreview({ groups, sources: sources.sources });

/** Rules keep counting errors and CPU over a 1-minute window: wait for them to fall quiet. */
async function waitUntilQuiet(): Promise<void> {
  const quiet = await watchConditions({ preview, deadlineMs: 75_000, done: (r) => r.latest.length === 0 });
  expect(quiet.latest, 'rules still true before the scenario').toEqual([]);
}

async function reset(): Promise<void> {
  const outcome = await runCli(['reset'], env);
  expect(outcome.code, outcome.stderr).toBe(0);
  // `reset` cannot delete logs from Loki; the stand-in's can be, so its [5m] count starts at 0.
  if (lokiStandInUrl) await clearRecordedLogs(lokiStandInUrl);
}

beforeAll(async () => {
  expect(rules.map((r) => r.uid).sort()).toEqual(alertCatalog.map((a) => a.uid).sort());
  await reset();
  preview.start();
});

afterAll(async () => {
  await preview.stop();
  await reset();
  await sources.close();
});

describe('alert rules against the real data sources', { timeout: 180_000 }, () => {
  it('normal traffic: every rule stays false', async () => {
    await waitUntilQuiet();
    const cli = spawnCli(['run', 'normal', '--duration', '15', '--json', '--seed', '7'], env);
    const result = await watchConditions({ preview, deadlineMs: 15_000 });
    expect((await cli.exited).code).toBe(0);
    expect(result.observations).toEqual([]);
    for (const [uid, reason] of Object.entries(result.notEvaluated))
      console.log(`[alert-rules] ${uid} not evaluated: ${reason}`);
  });
});
