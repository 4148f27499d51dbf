// The provisioning lint: every rule Grafana enforces when it loads provisioning files (a broken
// file makes Grafana refuse to start, or silently load nothing), checked on the files as written.
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { expressionDatasourceUid } from './datasources.ts';
import { parseDurationSeconds } from '../../domain/durations.ts';
import {
  panelLinkProblems,
  panelsById,
  traceLinkProblems,
  type DashboardPanels,
} from './lint-trace-links.ts';
import { runbookAnchor } from './runbook.ts';

export interface LintInput {
  /** grafana/provisioning or a copy of it. */
  provisioningDir: string;
  /** TROUBLESHOOTING.md, whose anchors the runbook URLs point at. */
  troubleshootingPath: string;
  /**
   * The environment Grafana starts with (see grafana-environment.ts). Given, contact points whose
   * required settings expand to "" in it are problems: Grafana refuses to start on them.
   */
  grafanaEnv?: Record<string, string>;
}

type Json = Record<string, unknown>;

const maxUidLength = 40;
const groupIntervalStepSeconds = 10;
const noDataStates = ['OK', 'NoData', 'Alerting', 'KeepLast'];
const execErrStates = ['OK', 'Error', 'Alerting', 'KeepLast'];
const alertingExtensions = ['.yaml', '.yml', '.json'];
// Data source references that are not provisioned uids: Grafana's built-ins and dashboard variables.
const builtInDatasourceUids = ['-- Grafana --', '-- Mixed --', '-- Dashboard --', 'grafana'];

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
    ),
  );
  return nested.flat().sort();
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Anchors GitHub renders for headings, plus explicit `<a id="...">` / `<a name="...">`. */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const match of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1] ?? '');
  for (const match of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const slug = (match[1] ?? '')
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    anchors.add(slug);
  }
  return anchors;
}

/** A `$` that Grafana would take for an environment variable (it expands labels, not annotations). */
function hasUnescapedDollar(text: string): boolean {
  return /\$[A-Za-z_{]/.test(text.replace(/\$\$/g, ''));
}

/**
 * Settings a contact point cannot start without (grafana/alerting `receivers/<type>/v1/config.go`
 * NewConfig): a webhook needs its url; Slack its webhook url, or a token and a recipient.
 */
const requiredSettings: Record<string, (settings: Json) => string[]> = {
  webhook: () => ['url'],
  slack: (settings) => (settings.token ? ['token', 'recipient'] : ['url']),
};

/** Grafana's expansion of contact-point settings: `$$` is a `$`, `$NAME` and `${NAME}` read the environment. */
function expandGrafanaEnv(text: string, env: Record<string, string>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced, bare) => (match === '$$' ? '$' : (env[(braced ?? bare) as string] ?? '')),
  );
}

function checkContactPoint(
  file: string,
  problems: Problems,
  contactPoint: Json,
  env: Record<string, string>,
): void {
  for (const receiver of asArray(contactPoint.receivers)) {
    if (!isObject(receiver) || typeof receiver.type !== 'string') continue;
    const settings = isObject(receiver.settings) ? receiver.settings : {};
    for (const key of requiredSettings[receiver.type]?.(settings) ?? []) {
      const raw = typeof settings[key] === 'string' ? settings[key] : '';
      if (expandGrafanaEnv(raw, env).trim() !== '') continue;
      const source = raw ? `"${raw}", which is empty in Grafana's environment` : 'missing';
      problems.add(
        file,
        `contact point ${String(contactPoint.name)}: ${receiver.type} setting ${key} is ${source}; ` +
          'Grafana refuses to start (set the variable for Grafana, or rebuild without it: npm run grafana:build)',
      );
    }
  }
}

class Problems {
  readonly lines: string[] = [];
  constructor(private readonly root: string) {}
  add(file: string, message: string): void {
    this.lines.push(`${relative(this.root, file) || file}: ${message}`);
  }
}

async function readStructured(file: string, problems: Problems): Promise<Json | undefined> {
  try {
    const document: unknown = parse(await readFile(file, 'utf8'));
    if (isObject(document)) return document;
    problems.add(file, 'not a YAML/JSON object');
  } catch (error) {
    problems.add(file, `does not parse: ${(error as Error).message.split('\n')[0]}`);
  }
  return undefined;
}

async function provisionedDatasourceUids(dir: string, problems: Problems): Promise<Set<string>> {
  const uids = new Set<string>();
  for (const file of await listFiles(join(dir, 'datasources'))) {
    const document = await readStructured(file, problems);
    for (const datasource of asArray(document?.datasources)) {
      const uid = isObject(datasource) ? datasource.uid : undefined;
      if (typeof uid !== 'string' || uid === '') problems.add(file, 'a data source has no pinned uid');
      else if (uids.has(uid)) problems.add(file, `data source uid "${uid}" is provisioned twice`);
      else uids.add(uid);
    }
    for (const problem of traceLinkProblems(asArray(document?.datasources))) problems.add(file, problem);
  }
  return uids;
}

function checkDuration(file: string, problems: Problems, what: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const seconds = typeof value === 'string' ? parseDurationSeconds(value) : undefined;
  if (seconds === undefined) problems.add(file, `${what}: "${String(value)}" is not a duration`);
  return seconds;
}

interface RuleContext {
  file: string;
  problems: Problems;
  datasourceUids: Set<string>;
  anchors: Set<string>;
  seenRuleUids: Set<string>;
  dashboards: DashboardPanels;
}

function checkQuery(context: RuleContext, where: string, query: unknown, refIds: Set<string>): void {
  const { file, problems } = context;
  if (!isObject(query)) return problems.add(file, `${where}: a query is not an object`);
  const refId = typeof query.refId === 'string' ? query.refId : '';
  if (refId === '') problems.add(file, `${where}: a query has no refId`);
  else if (refIds.has(refId)) problems.add(file, `${where}: refId "${refId}" is used twice`);
  refIds.add(refId);
  const range = query.relativeTimeRange;
  if (!isObject(range) || typeof range.from !== 'number' || typeof range.to !== 'number') {
    problems.add(
      file,
      `${where}: query ${refId} has no relativeTimeRange {from, to} (Grafana would load no rules)`,
    );
  }
  const uid = query.datasourceUid;
  if (typeof uid !== 'string' || (uid !== expressionDatasourceUid && !context.datasourceUids.has(uid))) {
    problems.add(
      file,
      `${where}: query ${refId} uses datasourceUid "${String(uid)}", which is not provisioned`,
    );
  }
  if (!isObject(query.model)) problems.add(file, `${where}: query ${refId} has no model`);
}

function checkRule(context: RuleContext, group: string, rule: unknown): void {
  const { file, problems } = context;
  if (!isObject(rule)) return problems.add(file, `group ${group}: a rule is not an object`);
  const uid = typeof rule.uid === 'string' ? rule.uid : '';
  const where = `rule ${uid || String(rule.title)}`;
  if (uid === '') problems.add(file, `${where}: no uid`);
  else if (uid.length > maxUidLength)
    problems.add(file, `${where}: uid is longer than ${maxUidLength} characters`);
  else if (!/^[A-Za-z0-9_-]+$/.test(uid))
    problems.add(file, `${where}: uid has characters other than letters, digits, - and _`);
  if (uid !== '' && context.seenRuleUids.has(uid))
    problems.add(file, `${where}: uid is used by another rule`);
  context.seenRuleUids.add(uid);

  const refIds = new Set<string>();
  const data = asArray(rule.data);
  if (data.length === 0) problems.add(file, `${where}: no data queries`);
  for (const query of data) checkQuery(context, where, query, refIds);
  if (typeof rule.condition !== 'string' || !refIds.has(rule.condition)) {
    problems.add(
      file,
      `${where}: condition "${String(rule.condition)}" is not the refId of one of its queries`,
    );
  }
  if (!noDataStates.includes(String(rule.noDataState))) {
    problems.add(
      file,
      `${where}: noDataState "${String(rule.noDataState)}" is not one of ${noDataStates.join(', ')}`,
    );
  }
  if (!execErrStates.includes(String(rule.execErrState))) {
    problems.add(
      file,
      `${where}: execErrState "${String(rule.execErrState)}" is not one of ${execErrStates.join(', ')}`,
    );
  }
  checkDuration(file, problems, `${where} for`, rule.for);
  checkDuration(file, problems, `${where} keepFiringFor`, rule.keepFiringFor);
  for (const problem of panelLinkProblems(rule, context.dashboards))
    problems.add(file, `${where}: ${problem}`);

  for (const [name, value] of Object.entries(isObject(rule.labels) ? rule.labels : {})) {
    if (typeof value === 'string' && hasUnescapedDollar(value)) {
      problems.add(file, `${where}: label ${name} has a $ Grafana expands from the environment (write $$)`);
    }
  }
  const annotations = isObject(rule.annotations) ? rule.annotations : {};
  const runbook = annotations.runbook_url;
  if (typeof runbook !== 'string') problems.add(file, `${where}: no runbook_url annotation`);
  else {
    const anchor = runbookAnchor(runbook);
    if (anchor === undefined || !context.anchors.has(anchor)) {
      problems.add(file, `${where}: runbook_url ${runbook} points at no section of TROUBLESHOOTING.md`);
    }
  }
}

function checkRuleGroup(context: RuleContext, group: unknown): void {
  const { file, problems } = context;
  if (!isObject(group)) return problems.add(file, 'a rule group is not an object');
  const name = typeof group.name === 'string' ? group.name : '';
  if (name === '') problems.add(file, 'a rule group has no name');
  if (typeof group.folder !== 'string' || group.folder === '') problems.add(file, `group ${name}: no folder`);
  const interval = checkDuration(file, problems, `group ${name} interval`, group.interval);
  if (group.interval === undefined) problems.add(file, `group ${name}: no interval`);
  else if (interval !== undefined && (interval <= 0 || interval % groupIntervalStepSeconds !== 0)) {
    problems.add(
      file,
      `group ${name}: interval ${String(group.interval)} is not a multiple of ${groupIntervalStepSeconds}s`,
    );
  }
  for (const rule of asArray(group.rules)) checkRule(context, name, rule);
}

/** What provisioned policies and contact points may refer to, by name. */
interface NotificationNames {
  receivers: Set<string>;
  muteTimings: Set<string>;
}

/**
 * A policy naming a missing receiver or mute timing makes Grafana refuse the whole tree at start
 * (notification policies are provisioned last, against what exists: provisioner.go).
 */
function checkPolicy(file: string, problems: Problems, policy: unknown, names: NotificationNames): void {
  if (!isObject(policy)) return;
  if (typeof policy.receiver === 'string' && !names.receivers.has(policy.receiver)) {
    problems.add(file, `policy receiver "${policy.receiver}" is not a provisioned contact point`);
  }
  for (const key of ['mute_time_intervals', 'active_time_intervals']) {
    for (const name of asArray(policy[key])) {
      if (typeof name !== 'string' || !names.muteTimings.has(name))
        problems.add(file, `policy ${key} "${String(name)}" is not a provisioned mute timing`);
    }
  }
  for (const key of ['group_wait', 'group_interval', 'repeat_interval']) {
    checkDuration(file, problems, `policy ${key}`, policy[key]);
  }
  for (const route of asArray(policy.routes)) checkPolicy(file, problems, route, names);
}

/** `{{ template "name" . }}` in a contact point's settings must be defined by a provisioned template. */
function checkTemplateUses(file: string, problems: Problems, contactPoint: Json, defined: Set<string>): void {
  const used = JSON.stringify(contactPoint.receivers ?? []).matchAll(/\{\{-?\s*template\s+\\"([^"\\]+)\\"/g);
  for (const [, name] of used) {
    if (name && !defined.has(name) && !name.startsWith('default.') && !name.includes('.default.'))
      problems.add(
        file,
        `contact point ${String(contactPoint.name)} uses template "${name}", which no provisioned template defines`,
      );
  }
}

async function checkAlerting(
  dir: string,
  datasourceUids: Set<string>,
  anchors: Set<string>,
  dashboards: DashboardPanels,
  problems: Problems,
  grafanaEnv: Record<string, string> | undefined,
): Promise<void> {
  const seenRuleUids = new Set<string>();
  const names: NotificationNames = { receivers: new Set(), muteTimings: new Set() };
  const definedTemplates = new Set<string>();
  const policies: [string, unknown][] = [];
  const contactPoints: [string, Json][] = [];
  for (const file of await listFiles(join(dir, 'alerting'))) {
    if (!alertingExtensions.includes(extname(file))) {
      problems.add(file, `only ${alertingExtensions.join(', ')} files may sit in the alerting folder`);
      continue;
    }
    const document = await readStructured(file, problems);
    if (!document) continue;
    const context = { file, problems, datasourceUids, anchors, seenRuleUids, dashboards };
    for (const group of asArray(document.groups)) checkRuleGroup(context, group);
    for (const contactPoint of asArray(document.contactPoints)) {
      if (!isObject(contactPoint)) continue;
      if (typeof contactPoint.name === 'string') names.receivers.add(contactPoint.name);
      if (grafanaEnv) checkContactPoint(file, problems, contactPoint, grafanaEnv);
      contactPoints.push([file, contactPoint]);
    }
    for (const muteTime of asArray(document.muteTimes)) {
      if (isObject(muteTime) && typeof muteTime.name === 'string') names.muteTimings.add(muteTime.name);
    }
    for (const template of asArray(document.templates)) {
      const text = isObject(template) && typeof template.template === 'string' ? template.template : '';
      for (const [, name] of text.matchAll(/\{\{-?\s*define\s+"([^"]+)"/g))
        if (name) definedTemplates.add(name);
    }
    for (const policy of asArray(document.policies)) policies.push([file, policy]);
  }
  for (const [file, policy] of policies) checkPolicy(file, problems, policy, names);
  for (const [file, contactPoint] of contactPoints)
    checkTemplateUses(file, problems, contactPoint, definedTemplates);
}

function datasourceReferences(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => datasourceReferences(item, found));
  else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'datasource' && isObject(item) && typeof item.uid === 'string') found.push(item.uid);
      else datasourceReferences(item, found);
    }
  }
  return found;
}

/** Checks each dashboard file; returns the panels of each by dashboard uid, for the rules' panel links. */
async function checkDashboards(
  dir: string,
  datasourceUids: Set<string>,
  problems: Problems,
): Promise<DashboardPanels> {
  const dashboards: DashboardPanels = new Map();
  const files = (await listFiles(join(dir, 'dashboards'))).filter((file) => extname(file) === '.json');
  for (const file of files) {
    const dashboard = await readStructured(file, problems);
    if (!dashboard) continue;
    const panelProblems: string[] = [];
    const panels = panelsById(dashboard, panelProblems);
    for (const problem of panelProblems) problems.add(file, problem);
    if (typeof dashboard.uid !== 'string' || dashboard.uid === '') problems.add(file, 'dashboard has no uid');
    else if (dashboards.has(dashboard.uid))
      problems.add(file, `dashboard uid "${dashboard.uid}" is used by another dashboard`);
    else dashboards.set(dashboard.uid, panels);
    const unknown = new Set(
      datasourceReferences(dashboard).filter(
        (uid) => !datasourceUids.has(uid) && !builtInDatasourceUids.includes(uid) && !uid.startsWith('$'),
      ),
    );
    for (const uid of unknown)
      problems.add(file, `dashboard uses data source uid "${uid}", which is not provisioned`);
  }
  return dashboards;
}

/** One line per problem; empty when Grafana would load everything. */
export async function lintProvisioning(input: LintInput): Promise<string[]> {
  const problems = new Problems(input.provisioningDir);
  const troubleshooting = await readFile(input.troubleshootingPath, 'utf8').catch(() => {
    problems.add(input.troubleshootingPath, 'cannot be read');
    return '';
  });
  const datasourceUids = await provisionedDatasourceUids(input.provisioningDir, problems);
  const dashboards = await checkDashboards(input.provisioningDir, datasourceUids, problems);
  await checkAlerting(
    input.provisioningDir,
    datasourceUids,
    markdownAnchors(troubleshooting),
    dashboards,
    problems,
    input.grafanaEnv,
  );
  return problems.lines;
}
