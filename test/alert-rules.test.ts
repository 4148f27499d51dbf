import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { alertCatalog } from '../grafana/src/catalog.ts';
import { cliEnv, runCli, spawnCli } from '../simulator/testing/cli-process.ts';
import { connectDataSources } from '../simulator/preview/connect-sources.ts';
import { provisionedRuleGroups } from '../simulator/preview/rule-document.ts';
import { RulePreview } from '../simulator/preview/rule-preview.ts';
import { clearRecordedLogs } from './support/loki.ts';
import { watchConditions, type WatchResult } from './support/preview-watch.ts';

// The generated Grafana rules, evaluated by the rule preview on Grafana's 10 s ticks against the
// real data sources while each scenario runs (shortened): its rules' conditions turn true, every
// other rule stays false. PromQL runs on a real Prometheus scraping every second, SQL on the
// stack's PostgreSQL, LogQL on the Loki stand-in (or the real Loki that LOKI_URL names).

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

interface Case {
  scenario: string;
  args: string[];
  /** Expected rules and the labels every firing instance of that rule must carry. */
  expected: Record<string, Record<string, unknown>>;
  deadlineMs: number;
}

const cases: Case[] = [
  {
    scenario: 'security-breach',
    args: ['--duration', '20'],
    expected: { 'failed-logins': {} },
    deadlineMs: 20_000,
  },
  {
    scenario: 'low-inventory',
    args: ['--duration', '30', '--rate', '3'],
    expected: { 'low-inventory': {} },
    deadlineMs: 30_000,
  },
  {
    scenario: 'flash-sale',
    args: ['--duration', '40', '--rate', '2'],
    expected: { 'low-inventory': { sku: 'SF-1001' }, 'critical-inventory': { sku: 'SF-1001' } },
    deadlineMs: 40_000,
  },
  {
    scenario: 'high-cpu',
    args: ['--duration', '75'],
    // The frontend waits on the slowed api, so its pages are slow too.
    expected: {
      'high-cpu': { service: 'api' },
      'slow-responses': { service: expect.stringMatching(/^(api|frontend)$/) },
    },
    deadlineMs: 75_000,
  },
  {
    scenario: 'payment-failures',
    args: ['--duration', '40'],
    // The api passes the gateway's 502 on, so its error rate crosses the threshold too.
    expected: {
      'high-error-rate': { service: expect.stringMatching(/^(payment|api)$/) },
      'payment-failures': {},
    },
    deadlineMs: 40_000,
  },
];

const timeToCondition: Record<string, string> = {};

beforeAll(async () => {
  expect(rules.map((r) => r.uid).sort()).toEqual(alertCatalog.map((a) => a.uid).sort());
  await reset();
  preview.start();
});

afterAll(async () => {
  await preview.stop();
  await reset();
  await sources.close();
  console.log(
    `[alert-rules] seconds from scenario start to condition true: ${JSON.stringify(timeToCondition)}`,
  );
});

function evaluable(result: WatchResult, uids: string[]): string[] {
  return uids.filter((uid) => !(uid in result.notEvaluated));
}

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

  it.each(cases)(
    '$scenario: its rules turn true, the others stay false',
    async ({ scenario, args, expected, deadlineMs }) => {
      await reset();
      await waitUntilQuiet();
      const expectedUids = Object.keys(expected);
      const cli = spawnCli(['run', scenario, ...args, '--json', '--seed', '7'], env, deadlineMs + 30_000);
      const result = await watchConditions({
        preview,
        // Conditions are seen at Grafana's ticks only: up to one interval after they turn true.
        deadlineMs: deadlineMs + groups[0]!.intervalSeconds * 1000,
        done: (r) => evaluable(r, expectedUids).every((uid) => uid in r.firstTrueMs),
      });
      cli.child.kill('SIGINT');
      await cli.exited;

      const unexpected = result.observations.filter((o) => !(o.uid in expected));
      expect(unexpected, 'rules that should have stayed false').toEqual([]);
      for (const uid of evaluable(result, expectedUids)) {
        expect(result.firstTrueMs[uid], `${uid} never turned true`).toBeDefined();
        for (const observation of result.observations.filter((o) => o.uid === uid)) {
          expect(observation.labels).toMatchObject(expected[uid]!);
        }
        timeToCondition[uid] = (result.firstTrueMs[uid]! / 1000).toFixed(0);
      }
    },
  );
});
