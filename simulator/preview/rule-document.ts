// The provisioned alert rules as Grafana reads them. The document is the one `npm run grafana:build`
// writes to grafana/provisioning/alerting/rules.yaml, built here in memory from the same code (the
// Docker image ships no rules.yaml); rule-file.ts loads one from a file.
//
// Grafana env-interpolates most string fields of a provisioning file and takes a few raw
// (pkg/services/provisioning/alerting/rules_types.go): the group's name, folder and interval, the
// rule's uid, title, condition, for, noDataState, execErrState, keepFiringFor and labels, and each
// query's refId and datasourceUid go through values.interpolateValue; annotations and the query
// models are taken raw (QueryV1.mapToModel reads Model.Raw so that `$__timeFilter` survives).
import { z } from 'zod';
import { parseDurationSeconds } from '../../domain/durations.ts';
import { buildRuleGroup, toRulesDocument } from '../../grafana/src/index.ts';
import { unsupportedTemplate } from './label-template.ts';
import type { Labels } from './values.ts';

export type NoDataState = 'OK' | 'NoData' | 'Alerting' | 'KeepLast';
export type ExecErrState = 'Error' | 'Alerting' | 'OK' | 'KeepLast';

export interface PreviewQuery {
  refId: string;
  datasourceUid: string;
  model: Record<string, unknown>;
}

export interface PreviewRule {
  uid: string;
  title: string;
  condition: string;
  data: PreviewQuery[];
  forSeconds: number;
  /** keepFiringFor: how long an Alerting instance stays Recovering once its condition is false. */
  keepFiringForSeconds: number;
  noDataState: NoDataState;
  execErrState: ExecErrState;
  /** Evaluations a series may be missing before its instance resolves (Grafana's default 2). */
  missingSeriesEvalsToResolve: number;
  /** Label templates as Grafana holds them after interpolation (`{{ $labels.service }}`). */
  labels: Labels;
  annotations: Labels;
  /** Set when the rule uses something the preview does not model: it is then not evaluated. */
  unsupported?: string;
}

export interface PreviewRuleGroup {
  name: string;
  folder: string;
  intervalSeconds: number;
  rules: PreviewRule[];
}

/** The rule file is not one Grafana would load. */
export class RuleDocumentError extends Error {}

// Grafana's scheduler base interval: group intervals must be a multiple of it.
const baseIntervalSeconds = 10;

// Go's os.ExpandEnv: $NAME or ${NAME}; `$` before anything else is kept, `${}` is dropped.
const envReference = /\$(?:\{([^}]*)\}|([A-Za-z0-9_]+|[*#$@!?0-9-]))/g;

/**
 * values.interpolateValue: split on `$$`, expand the environment in each part, join with `$`.
 * (Grafana's `$__env{}`/`$__file{}` expanders are not modelled; the rules use none.)
 */
export function interpolate(text: string, env: NodeJS.ProcessEnv): string {
  return text
    .split('$$')
    .map((part) =>
      part.replace(envReference, (_m, braced?: string, bare?: string) => env[braced ?? bare ?? ''] ?? ''),
    )
    .join('$');
}

const fileQuery = z.object({
  refId: z.string(),
  datasourceUid: z.string(),
  model: z.record(z.string(), z.unknown()),
});

const fileRule = z.object({
  uid: z.string(),
  title: z.string(),
  condition: z.string(),
  data: z.array(fileQuery).min(1),
  for: z.string().optional(),
  noDataState: z.string().optional(),
  execErrState: z.string().optional(),
  keepFiringFor: z.string().optional(),
  missing_series_evals_to_resolve: z.number().int().min(0).optional(),
  isPaused: z.boolean().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const fileDocument = z.object({
  groups: z.array(
    z.object({ name: z.string(), folder: z.string(), interval: z.string(), rules: z.array(fileRule) }),
  ),
});

function seconds(text: string, what: string): number {
  const value = parseDurationSeconds(text);
  if (value === undefined) throw new RuleDocumentError(`${what}: "${text}" is not a duration`);
  return value;
}

// models.NoDataStateFromString / ErrStateFromString; an empty field takes Grafana's default.
function oneOf<T extends string>(text: string, allowed: readonly T[], fallback: T, what: string): T {
  if (text === '') return fallback;
  if (!(allowed as readonly string[]).includes(text))
    throw new RuleDocumentError(`${what}: "${text}" is not one of ${allowed.join(', ')}`);
  return text as T;
}

function toPreviewRule(rule: z.infer<typeof fileRule>, env: NodeJS.ProcessEnv): PreviewRule {
  const value = (text: string | undefined) => interpolate(text ?? '', env);
  const uid = value(rule.uid);
  const labels = Object.fromEntries(Object.entries(rule.labels ?? {}).map(([k, v]) => [k, value(v)]));
  const keepFiringFor = seconds(value(rule.keepFiringFor) || '0s', `${uid} keepFiringFor`);
  const unsupported = [
    rule.isPaused ? 'a paused rule' : null,
    ...Object.values(labels).map(unsupportedTemplate),
  ].find((reason) => reason !== null);
  return {
    uid,
    title: value(rule.title),
    condition: value(rule.condition),
    data: rule.data.map((query) => ({
      refId: value(query.refId),
      datasourceUid: value(query.datasourceUid),
      model: query.model,
    })),
    forSeconds: seconds(value(rule.for) || '0s', `${uid} for`),
    keepFiringForSeconds: keepFiringFor,
    noDataState: oneOf(
      value(rule.noDataState),
      ['OK', 'NoData', 'Alerting', 'KeepLast'],
      'NoData',
      `${uid} noDataState`,
    ),
    execErrState: oneOf(
      value(rule.execErrState),
      ['Error', 'Alerting', 'OK', 'KeepLast'],
      'Alerting',
      `${uid} execErrState`,
    ),
    missingSeriesEvalsToResolve: rule.missing_series_evals_to_resolve ?? 2,
    labels,
    annotations: rule.annotations ?? {},
    ...(unsupported ? { unsupported: `uses ${unsupported}, which the preview does not model` } : {}),
  };
}

/** Reads a rules provisioning document (parsed YAML) as Grafana would. */
export function parseRulesDocument(
  document: unknown,
  env: NodeJS.ProcessEnv = process.env,
): PreviewRuleGroup[] {
  const parsed = fileDocument.safeParse(document);
  if (!parsed.success) throw new RuleDocumentError(`not an alert rules document: ${parsed.error.message}`);
  return parsed.data.groups.map((group) => {
    const name = interpolate(group.name, env);
    const intervalSeconds = seconds(interpolate(group.interval, env), `group ${name} interval`);
    if (intervalSeconds <= 0 || intervalSeconds % baseIntervalSeconds !== 0) {
      throw new RuleDocumentError(`group ${name}: interval ${group.interval} is not a multiple of 10s`);
    }
    return {
      name,
      folder: interpolate(group.folder, env),
      intervalSeconds,
      rules: group.rules.map((rule) => toPreviewRule(rule, env)),
    };
  });
}

/** The rules as `npm run grafana:build` would write them, built in memory from grafana/src. */
export function provisionedRuleGroups(env: NodeJS.ProcessEnv = process.env): PreviewRuleGroup[] {
  return parseRulesDocument(toRulesDocument([buildRuleGroup()]), env);
}
