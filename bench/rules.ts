import { ruleGroup } from '../domain/alerts.ts';
import { stackInfoOf, startNativeStack } from '../scripts/native/stack.ts';
import type { RehearsalRow } from '../simulator/rehearsal/rehearsal.ts';
import { connectDataSources } from '../simulator/preview/connect-sources.ts';
import { provisionedRuleGroups } from '../simulator/preview/rule-document.ts';
import { RulePreview } from '../simulator/preview/rule-preview.ts';
import { cliEnv } from '../harness/cli-env.ts';
import { runCli } from '../harness/cli-process.ts';
import type { BenchSection } from './autocannon.ts';
import { verdict } from './results-file.ts';

/** The goal of the stage: every alert fires within this of its scenario's start, and resolves within this of reset. */
const stageGoalSeconds = 45;
/** `normal` must keep every rule Normal for this long. */
const normalSoakSeconds = 600;
const interval = ruleGroup.intervalSeconds;

type Row = RehearsalRow & { verdict: string };

const seconds = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(0)} s`);

function lifecycleRow(row: Row): string {
  const fireGoal = (row.expectedFireSeconds ?? 0) + interval;
  const resolveGoal = (row.expectedResolveSeconds ?? 0) + interval;
  const fired = row.firedAtSeconds;
  const resolved = row.resolvedAtSeconds;
  const heard = row.notifications;
  // Notification targets are the rehearsal's own (group_wait + one evaluation, the right receivers,
  // nothing under a silence, one firing episode in flapping): any problem it found misses the row.
  const met =
    fired !== undefined &&
    resolved !== undefined &&
    fired <= Math.min(fireGoal, stageGoalSeconds + interval) &&
    resolved <= Math.min(resolveGoal, stageGoalSeconds) &&
    heard !== undefined &&
    row.problems.length === 0;
  return [
    row.uid,
    row.scenario,
    row.instance || '—',
    seconds(row.pendingAtSeconds),
    seconds(fired),
    `${row.expectedFireSeconds} s`,
    heard ? `${seconds(heard.notifiedAtSeconds)} (${heard.receivers.join(', ') || 'nobody'})` : 'not checked',
    seconds(resolved),
    `${row.expectedResolveSeconds} s`,
    seconds(heard?.resolveNotifiedAtSeconds),
    met ? verdict(true) : `${verdict(false)} (${row.verdict})`,
  ].join(' | ');
}

/** Plays `normal` for the soak and records every rule instance that leaves Normal. */
async function soakNormal(stack: Awaited<ReturnType<typeof startNativeStack>>): Promise<string[]> {
  const sources = connectDataSources(stack);
  const preview = new RulePreview({ groups: provisionedRuleGroups(), sources: sources.sources });
  const left: string[] = [];
  preview.onTransition((change) => {
    if (change.from === 'Normal') left.push(`${change.uid} ${JSON.stringify(change.labels)} → ${change.to}`);
  });
  preview.start();
  try {
    const env = cliEnv(stackInfoOf(stack));
    await runCli(['reset', '--wait'], env, 120_000);
    const run = await runCli(
      ['run', 'normal', '--duration', String(normalSoakSeconds), '--json', '--seed', '7'],
      env,
      (normalSoakSeconds + 60) * 1000,
    );
    if (run.code !== 0) left.push(`run normal exited ${run.code}: ${run.stderr.slice(-200)}`);
  } finally {
    await preview.stop();
    await sources.close();
  }
  return left;
}

/**
 * The alert lifecycle on the Docker stack's timings (Prometheus scraping every 5 s, 10 s ticks):
 * `shopfast-sim rehearse` on a native stack, where the rule preview evaluates the generated rules
 * as Grafana would, then `normal` for ten minutes, during which no rule may leave Normal.
 */
export async function benchRules(): Promise<BenchSection> {
  const stack = await startNativeStack({
    ports: 'random',
    prometheus: true,
    scrapeIntervalSeconds: 5,
    output: 'quiet',
  });
  let rows: Row[] = [];
  let rehearsalCode: number | null = null;
  let leftNormal: string[] = [];
  try {
    // The rule preview posts its alerts to the stack's Alertmanager, whose receivers tell the status page.
    const env = cliEnv(stackInfoOf(stack), { ALERTMANAGER_URL: stack.alertmanagerUrl ?? undefined });
    console.log('  rehearse (every scenario, then reset, until each alert resolves)…');
    const rehearsal = await runCli(['rehearse', '--json', '--seed', '7'], env, 900_000);
    rows = rehearsal.events.filter((event) => event.type === 'rehearsal-row') as unknown as Row[];
    rehearsalCode = rehearsal.code;
    console.log(`  normal for ${normalSoakSeconds} s…`);
    leftNormal = await soakNormal(stack);
  } finally {
    await stack.stop();
  }
  const expected = rows.filter((row) => row.kind === 'expected');
  const unexpected = rows.filter((row) => row.kind === 'unexpected');
  const markdown = [
    'Native stack with Prometheus scraping every 5 s (as on the Docker stack), the Loki stand-in and',
    "Alertmanager 0.25; `shopfast-sim rehearse` with the rule preview (Grafana's aligned 10 s ticks, pending",
    'periods, recovery thresholds, keepFiringFor) against the real data sources, posting its alerts to',
    'Alertmanager as Grafana’s ruler does. Times from the scenario’s start (Pending, Firing, notified) and from',
    '`reset` (Normal, resolve notified), as the rehearsal saw them (states read every 2 s; notifications as',
    'the status page recorded them). Target per row: Firing within the catalog estimate plus one evaluation',
    `interval (${interval} s) and at most ${stageGoalSeconds} s + ${interval} s after the start; Normal within the estimate`,
    `plus ${interval} s and at most ${stageGoalSeconds} s after reset; notified by the receivers the policy tree names`,
    `within group_wait + ${interval} s of Firing (after the silence in \`maintenance\`) and of Normal; in \`flapping\`,`,
    'one firing episode, resolved once, per receiver.',
    '',
    '| alert | scenario | instance | Pending at | Firing at | estimate | notified (receivers) | Normal after reset | estimate | resolve notified | target |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...expected.map((row) => `| ${lifecycleRow(row)} |`),
    '',
    `Unexpected alerts during the rehearsal (target: none): ${
      unexpected.length === 0
        ? 'none — met'
        : `${unexpected.map((row) => `${row.scenario}: ${row.uid} ${row.instance}`).join(', ')} — missed`
    }. Rehearsal exit code (target: 0): ${rehearsalCode ?? 'none'} — ${verdict(rehearsalCode === 0)}.`,
    '',
    `\`normal\` for ${normalSoakSeconds / 60} minutes (target: no rule leaves Normal): ${
      leftNormal.length === 0 ? 'none left Normal — met' : `${leftNormal.join('; ')} — missed`
    }.`,
  ].join('\n');
  return { title: 'Alert lifecycle: Pending, Firing and back to Normal', markdown };
}
