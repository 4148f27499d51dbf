// The SDK builds objects in the shape of Grafana's HTTP API; file provisioning reads another
// shape (pkg/services/provisioning/alerting/*_types.go). These functions map one to the other.
// Grafana expands environment variables in most string fields of these files but reads rule
// annotations and query models raw, so only the expanded fields go through toProvisioningValue().
import type {
  ContactPoint,
  NotificationPolicy,
  NotificationTemplate,
  Query,
  Rule,
  RuleGroup,
} from '@grafana/grafana-foundation-sdk/alerting';
import { toProvisioningValue } from './provisioning-strings.ts';

const orgId = 1;

export interface FileQuery {
  refId: string;
  queryType?: string;
  datasourceUid: string;
  relativeTimeRange: { from: number; to: number };
  model: Record<string, unknown>;
}

export interface FileRule {
  uid: string;
  title: string;
  condition: string;
  data: FileQuery[];
  noDataState: Rule['noDataState'];
  execErrState: Rule['execErrState'];
  for: string;
  keepFiringFor?: string;
  missing_series_evals_to_resolve?: number;
  isPaused?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** The panel the rule links to (the HTTP API's `__dashboardUid__` / `__panelId__` annotations). */
  dashboardUid?: string;
  panelId?: number;
}

export interface FileRuleGroup {
  orgId: number;
  name: string;
  folder: string;
  interval: string;
  rules: FileRule[];
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === '') throw new Error(`${what} is required in a provisioning file`);
  return value;
}

/** Plain JSON: drops the SDK's marker functions and undefined fields. */
function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function toFileQuery(query: Query): FileQuery {
  const refId = required(query.refId, 'query refId');
  return {
    refId,
    ...(query.queryType ? { queryType: toProvisioningValue(query.queryType) } : {}),
    datasourceUid: toProvisioningValue(required(query.datasourceUid, `datasourceUid of query ${refId}`)),
    // Without it Grafana loads no rules at all; expressions take {0, 0}.
    relativeTimeRange: { from: query.relativeTimeRange?.from ?? 0, to: query.relativeTimeRange?.to ?? 0 },
    model: plainJson(required(query.model, `model of query ${refId}`)) as unknown as Record<string, unknown>,
  };
}

/**
 * The HTTP API carries a rule's panel in two annotations; a provisioning file in the fields
 * `dashboardUid` and `panelId` (AlertRuleV1 in rules_types.go), which Grafana turns back into
 * those annotations on the alerts.
 */
function splitPanelLink(
  annotations: Record<string, string>,
): Pick<FileRule, 'annotations' | 'dashboardUid' | 'panelId'> {
  const { __dashboardUid__: dashboardUid, __panelId__: panelId, ...rest } = annotations;
  if ((dashboardUid === undefined) !== (panelId === undefined))
    throw new Error('a panel link needs both __dashboardUid__ and __panelId__');
  return {
    annotations: rest,
    ...(dashboardUid !== undefined
      ? { dashboardUid: toProvisioningValue(dashboardUid), panelId: Number(panelId) }
      : {}),
  };
}

export function toFileRule(rule: Rule): FileRule {
  const uid = required(rule.uid, `uid of rule "${rule.title}"`);
  const expanded = toProvisioningValue({
    uid,
    title: rule.title,
    condition: rule.condition,
    noDataState: rule.noDataState,
    execErrState: rule.execErrState,
    for: rule.for,
    ...(rule.keep_firing_for !== undefined ? { keepFiringFor: rule.keep_firing_for } : {}),
    ...(rule.labels ? { labels: rule.labels } : {}),
  });
  return {
    ...expanded,
    data: rule.data.map(toFileQuery),
    ...(rule.missingSeriesEvalsToResolve !== undefined
      ? { missing_series_evals_to_resolve: rule.missingSeriesEvalsToResolve }
      : {}),
    ...(rule.isPaused !== undefined ? { isPaused: rule.isPaused } : {}),
    ...(rule.annotations ? splitPanelLink(rule.annotations) : {}),
  };
}

/** `folder` is the folder's title: provisioning creates the folder by title if it is missing. */
export function toFileRuleGroup(group: RuleGroup): FileRuleGroup {
  const name = required(group.title, 'rule group title');
  return {
    orgId,
    name: toProvisioningValue(name),
    folder: toProvisioningValue(required(group.folderUid, `folder of rule group ${name}`)),
    interval: `${required(group.interval, `interval of rule group ${name}`)}s`,
    rules: (group.rules ?? []).map(toFileRule),
  };
}

export function toRulesDocument(groups: RuleGroup[]): object {
  return { apiVersion: 1, groups: groups.map(toFileRuleGroup) };
}

export function toContactPointsDocument(contactPoints: ContactPoint[]): object {
  return {
    apiVersion: 1,
    contactPoints: contactPoints.map((contactPoint) =>
      toProvisioningValue({
        orgId,
        name: required(contactPoint.name, 'contact point name'),
        receivers: [
          {
            uid: required(contactPoint.uid, `uid of contact point ${contactPoint.name}`),
            type: contactPoint.type,
            settings: plainJson(contactPoint.settings) as unknown,
            disableResolveMessage: contactPoint.disableResolveMessage ?? false,
          },
        ],
      }),
    ),
  };
}

export function toPoliciesDocument(policy: NotificationPolicy): object {
  return { apiVersion: 1, policies: [toProvisioningValue({ orgId, ...plainJson(policy) })] };
}

/** Templates are read raw (text_templates_types.go): no environment expansion, so no `$$`. */
export function toTemplatesDocument(templates: NotificationTemplate[]): object {
  return {
    apiVersion: 1,
    templates: templates.map((template) => ({
      orgId,
      name: required(template.name, 'template name'),
      template: required(template.template, `text of template ${template.name}`),
    })),
  };
}

/** Mute timings are read raw too (mute_times_types.go); each is already in the file's format. */
export function toMuteTimesDocument(muteTimes: object[]): object {
  return { apiVersion: 1, muteTimes: muteTimes.map((muteTime) => ({ orgId, ...muteTime })) };
}
