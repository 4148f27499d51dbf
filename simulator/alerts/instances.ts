import { alertCatalog, type AlertDefinition, type InstanceLabels } from '../../domain/alerts.ts';
import type { RuleStatus } from './state-source.ts';

/** One instance of a rule that is not Normal, named by the catalog's instance labels. */
export interface ActiveInstance {
  labels: InstanceLabels;
  /** Pending, Firing, Error, NoData or Recovering (Grafana's "Alerting" reads Firing, as in its UI). */
  state: string;
  activeSinceMs?: number;
}

/** An instance state in the CLI's words: the reason dropped ("Alerting (NoData)"), Alerting as Firing. */
export function instanceState(raw: string): string {
  const state = raw.split(' ')[0] ?? raw;
  return state === 'Alerting' ? 'Firing' : state;
}

/** The values of the rule's instance labels ({} for a rule with one instance). */
export function instanceLabels(alert: AlertDefinition, labels: Record<string, string>): InstanceLabels {
  return Object.fromEntries(alert.instanceLabels.map((name) => [name, labels[name] ?? '']));
}

/** A stable key for an instance (its instance labels in the catalog's order). */
export function instanceKey(alert: AlertDefinition, labels: InstanceLabels): string {
  return JSON.stringify(alert.instanceLabels.map((name) => labels[name] ?? ''));
}

/** "service=api", or "" for a rule with one instance (or an Error instance, which has no labels). */
export function instanceName(labels: InstanceLabels): string {
  return Object.entries(labels)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}

/**
 * The rule's instances that are not Normal. A source that does not list instances gives one
 * instance for the rule as a whole.
 */
export function activeInstances(alert: AlertDefinition, status: RuleStatus): ActiveInstance[] {
  const listed = status.instances?.map((instance) => ({
    labels: instanceLabels(alert, instance.labels),
    state: instanceState(instance.state),
    ...(instance.activeSinceMs === undefined ? {} : { activeSinceMs: instance.activeSinceMs }),
  }));
  if (listed) return listed.filter((instance) => instance.state !== 'Normal');
  if (status.state === 'Normal') return [];
  return [
    {
      labels: instanceLabels(alert, {}),
      state: status.state,
      ...(status.activeSinceMs === undefined ? {} : { activeSinceMs: status.activeSinceMs }),
    },
  ];
}

/** A rule that is not Normal, with its active instances named ("service=api Firing"). */
export interface ActiveRule {
  uid: string;
  title: string;
  state: string;
  instances: string[];
  /** Epoch ms since when its longest-active instance is active, when the source says. */
  activeSinceMs?: number;
}

/** The rules among `uids` (default: every rule) that are not Normal. */
export function activeRules(statuses: Map<string, RuleStatus>, uids?: readonly string[]): ActiveRule[] {
  return alertCatalog
    .filter((alert) => uids === undefined || uids.includes(alert.uid))
    .flatMap((alert) => {
      const status = statuses.get(alert.uid);
      if (!status || status.state === 'Normal') return [];
      const instances = activeInstances(alert, status).map((instance) =>
        [instanceName(instance.labels), instance.state].filter(Boolean).join(' '),
      );
      return [
        {
          uid: alert.uid,
          title: alert.title,
          state: status.state,
          instances,
          ...(status.activeSinceMs === undefined ? {} : { activeSinceMs: status.activeSinceMs }),
        },
      ];
    });
}
