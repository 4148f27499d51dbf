// Keeps the figures in the docs equal to their sources: the alert catalog, the scenario registry,
// the settings schemas, the simulator's CLI, docker-compose.yml and the Kubernetes base (README's
// tables, memory and fault lifetimes, each alert's timing in TROUBLESHOOTING.md, each scenario's
// timing in TALK_NOTES.md, CONTRIBUTING's table of environment variables, WORKSHOP's capacity plan).
// `npm run docs` rewrites the generated blocks; the docs test fails when they drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  alertCatalog,
  ruleGroup,
  signalDelaySeconds,
  type AlertDefinition,
  type DatasourceKind,
  type InstanceLabels,
} from '../domain/alerts.ts';
import { grafanaDatabaseRole } from '../grafana/src/datasources.ts';
import { groupWaitSeconds, receiversFor } from '../grafana/src/notifications.ts';
import { alertInstanceLabels } from '../grafana/src/rules.ts';
import { scenarioNames } from '../domain/scenarios.ts';
import { clock, describeScenario, scenarios } from '../simulator/index.ts';
import { capacityFit, capacityTable, composeMemory, talkDockerMemory } from './docs-capacity.ts';
import { faultLifetime, simulatorCommandTable } from './docs-simulator.ts';
import { repoRoot } from './native/paths.ts';
import { acceptNoArguments } from './script-args.ts';
import { settingsTable } from './settings-table.ts';

const sourceNames = { prometheus: 'Prometheus', loki: 'Loki', postgres: 'PostgreSQL' } as const;
const cell = (text: string) => text.replaceAll('|', '\\|');
const code = (text: string) => `\`${text}\``;

export function alertTable(): string {
  const rows = alertCatalog.map((alert) => {
    const scenarioList = alert.scenarios.map(code).join(', ');
    return `| [\`${alert.uid}\`](TROUBLESHOOTING.md#${alert.runbookAnchor}) | ${alert.severity} | ${sourceNames[alert.datasource]} | ${cell(alert.summary)} | ${scenarioList} | ~${alert.expectedSecondsToFire} s | ~${alert.expectedSecondsToResolve} s |`;
  });
  return [
    '| alert | severity | data source | fires when | fired by | time to fire | back to Normal after reset |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function scenarioTable(): string {
  const rows = scenarioNames.map((name) => {
    const listing = describeScenario(scenarios[name]);
    const alerts = listing.alerts.length
      ? listing.alerts.map((a) => `\`${a.uid}\` ~${clock(a.expectedSeconds)}`).join(', ')
      : 'none';
    return `| \`${name}\` | ${cell(listing.story)} | ${clock(listing.durationSeconds)} | ${alerts} |`;
  });
  return [
    '| scenario | story | runs for | expected alerts (time from start) |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function describeInstances(instances: InstanceLabels[]): string {
  const named = instances.map((labels) =>
    Object.entries(labels)
      .map(([label, value]) => `${label} ${code(value)}`)
      .join(', '),
  );
  return named.every((name) => name === '') ? 'one instance' : named.join(' and ');
}

const queryLanguages: Record<DatasourceKind, string> = {
  prometheus: 'promql',
  loki: 'logql',
  postgres: 'sql',
};

/**
 * The rule's query as a fenced block the executed-docs test runs (test/docs-queries.test.ts): SQL as
 * Grafana's role, each row or series carrying the labels that tell the alert's instances apart.
 */
function queryBlock(alert: AlertDefinition): string {
  const runAs = alert.datasource === 'postgres' ? 'run-as: grafana; ' : '';
  return [
    `<!-- ${runAs}returns: ${alert.instanceLabels.join(', ')} -->`,
    `\`\`\`${queryLanguages[alert.datasource]}`,
    alert.query,
    '```',
  ].join('\n');
}

/** The receivers the notification policy routes the alert to (its first instance: they share severity and team). */
function receiversOf(alert: AlertDefinition): string[] {
  const [instance = {}] = Object.values(alert.firesIn).flat();
  return receiversFor(alertInstanceLabels(alert, instance));
}

const toldOf = (alert: AlertDefinition) => receiversOf(alert).map(code).join(' and ');

/** An alert's section head in TROUBLESHOOTING.md: what it means, when it fires, when it resolves. */
export function alertTiming(alert: AlertDefinition): string {
  const { timing, resolveTiming } = alert;
  const comparison = alert.threshold.op === 'gt' ? 'above' : 'below';
  const firedBy = Object.entries(alert.firesIn)
    .map(([scenario, instances]) => `${code(scenario)} (${describeInstances(instances)})`)
    .join(' and ');
  const pending = timing.pendingSeconds > 0 ? `for ${timing.pendingSeconds} s` : 'with no pending period';
  const resolvedBy =
    alert.resolvedBy === 'reset'
      ? '`npx shopfast-sim reset`'
      : '`npx shopfast-sim reset` or the end of the scenario';
  const runsAs = alert.datasource === 'postgres' ? ` (Grafana runs it as \`${grafanaDatabaseRole}\`)` : '';
  return [
    `**Means:** ${alert.summary} The rule reduces this ${sourceNames[alert.datasource]} query${runsAs} ` +
      `with ${code(alert.reducer)} and alerts when ${comparison} ${alert.threshold.value} ${pending}:`,
    '',
    queryBlock(alert),
    '',
    `**Fires** about ${alert.expectedSecondsToFire} s after its incident starts, in ${firedBy}: ` +
      `${timing.signalDelaySeconds} s for the signal + ${timing.windowFillSeconds} s for the value to cross ` +
      `the threshold + up to ${timing.evaluationWaitSeconds} s to the next evaluation + ` +
      `${timing.pendingSeconds} s pending (worst case on the Docker stack). ` +
      `${toldOf(alert)} hear${receiversOf(alert).length === 1 ? 's' : ''} of it ${groupWaitSeconds} s later ` +
      '(group_wait; the status page shows who was told).',
    '',
    `**Back to Normal** about ${alert.expectedSecondsToResolve} s after ${resolvedBy}: ` +
      `${resolveTiming.signalDelaySeconds} s for the signal + ${resolveTiming.windowDrainSeconds} s ` +
      `+ up to ${resolveTiming.evaluationWaitSeconds} s to the next evaluation` +
      (resolveTiming.keepFiringForSeconds > 0
        ? ` + ${resolveTiming.keepFiringForSeconds} s Recovering`
        : '') +
      ` (${alert.resolveNote}).`,
    ...calmRecoveryLines(alert),
  ].join('\n');
}

/** Which calm recovery the rule uses, and why (the catalog's words). */
function calmRecoveryLines({ calmRecovery, threshold }: AlertDefinition): string[] {
  if (!calmRecovery) return [];
  const { recoverWhen, keepFiringForSeconds, why } = calmRecovery;
  const how = [
    recoverWhen &&
      `a recovery threshold: once firing it stays firing until the value is ${recoverWhen.op === 'lt' ? 'below' : 'above'} ${recoverWhen.value} (it fires ${threshold.op === 'gt' ? 'above' : 'below'} ${threshold.value})`,
    keepFiringForSeconds &&
      `keep firing for ${keepFiringForSeconds} s: when the condition clears it shows **Recovering** for ${keepFiringForSeconds} s and fires again at once if it returns`,
  ].filter(Boolean);
  return ['', `**Calm recovery:** ${how.join('; ')} — ${why}.`];
}

/** A scenario's line in TALK_NOTES.md: its story as the registry tells it, and its timing. */
export function scenarioTiming(name: (typeof scenarioNames)[number]): string {
  const listing = describeScenario(scenarios[name]);
  const alerts = listing.alerts.map(
    (a) =>
      `${code(a.uid)} fires by ~${clock(a.expectedSeconds)}, Normal ~${clock(a.resolveSeconds)} after reset`,
  );
  const timing = `Runs ${clock(listing.durationSeconds)}; ${alerts.length ? alerts.join('; ') : 'no alert'}.`;
  return `*${listing.story} ${timing}*`;
}

/** TROUBLESHOOTING's head: where the rules live, how often they run, and what an alert's times add up. */
export function alertTimingModel(): string {
  const { prometheus, loki, postgres } = signalDelaySeconds;
  return [
    `All alerts live in the Grafana folder **${ruleGroup.folder}**, rule group \`${ruleGroup.name}\`, ` +
      `evaluated every ${ruleGroup.intervalSeconds} s.`,
    '',
    `How long an alert takes to fire: signal delay (Prometheus scrape ${prometheus} s, Loki ${loki} s for ` +
      `the log batch and its push, SQL ${postgres} s) + time for the query's value to cross the threshold + ` +
      'up to one evaluation interval + the pending period; to resolve: signal delay + time for the value to ' +
      'fall back + up to one evaluation interval (the first false evaluation resolves).',
  ].join('\n');
}

export function resolveTable(): string {
  const rows = alertCatalog.map(
    (alert) =>
      `| ${code(alert.uid)} | ${alert.resolvedBy === 'reset' ? 'reset' : 'reset or the scenario’s end'} | ~${alert.expectedSecondsToResolve} s | ${cell(alert.resolveNote)} |`,
  );
  return ['| alert | back to Normal after | within | why |', '|---|---|---|---|', ...rows].join('\n');
}

interface GeneratedDoc {
  path: string;
  blocks: Record<string, () => string>;
}

export const generatedDocs: GeneratedDoc[] = [
  {
    path: join(repoRoot, 'README.md'),
    blocks: {
      'alert-table': alertTable,
      'scenario-table': scenarioTable,
      'compose-memory': () => composeMemory(),
      'simulator-commands': simulatorCommandTable,
      'fault-lifetime': faultLifetime,
    },
  },
  {
    path: join(repoRoot, 'TROUBLESHOOTING.md'),
    blocks: {
      'alert-timing-model': alertTimingModel,
      ...Object.fromEntries(alertCatalog.map((alert) => [`alert-${alert.uid}`, () => alertTiming(alert)])),
    },
  },
  {
    path: join(repoRoot, 'TALK_NOTES.md'),
    blocks: {
      ...Object.fromEntries(scenarioNames.map((name) => [`scenario-${name}`, () => scenarioTiming(name)])),
      'resolve-table': resolveTable,
      'docker-memory': () => talkDockerMemory(),
    },
  },
  {
    path: join(repoRoot, 'WORKSHOP.md'),
    blocks: { 'capacity-table': () => capacityTable(), 'capacity-fit': () => capacityFit() },
  },
  {
    path: join(repoRoot, 'CONTRIBUTING.md'),
    blocks: { 'settings-table': settingsTable },
  },
];

/** Replaces the text between `<!-- NAME:start … -->` and `<!-- NAME:end -->` for every block of the doc. */
export function renderBlocks(text: string, blocks: GeneratedDoc['blocks'], file = 'the document'): string {
  let rendered = text;
  for (const [name, render] of Object.entries(blocks)) {
    const start = `<!-- ${name}:start (generated by npm run docs) -->`;
    const end = `<!-- ${name}:end -->`;
    const from = rendered.indexOf(start);
    const to = rendered.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${file} lacks the ${start} … ${end} block`);
    // A block inside a list item keeps the item's indentation.
    const indent = /[ \t]*$/.exec(rendered.slice(0, from))![0];
    const body = render()
      .split('\n')
      .map((line) => (line === '' ? line : indent + line))
      .join('\n');
    rendered = `${rendered.slice(0, from + start.length)}\n${body}\n${indent}${rendered.slice(to)}`;
  }
  return rendered;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  acceptNoArguments(
    'Usage: npm run docs\n\nRewrites the generated blocks (<!-- name:start --> … <!-- name:end -->) of README.md,\nTROUBLESHOOTING.md, TALK_NOTES.md, WORKSHOP.md and CONTRIBUTING.md from the code. Takes no arguments.',
  );
  for (const doc of generatedDocs) {
    writeFileSync(doc.path, renderBlocks(readFileSync(doc.path, 'utf8'), doc.blocks, doc.path));
  }
  console.log(
    'README.md, TROUBLESHOOTING.md, TALK_NOTES.md, WORKSHOP.md and CONTRIBUTING.md updated from the catalog, the registry, the settings, the CLI, docker-compose.yml and the Kubernetes base',
  );
}
