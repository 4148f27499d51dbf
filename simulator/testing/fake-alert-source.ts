import { alertCatalog } from '../../domain/alerts.ts';
import type { AlertStateSource } from '../alerts/state-source.ts';
import type { AlertState, RuleStatus } from '../alerts/state-source.ts';

/** An instance of a fake rule status: its labels, state and when it became active. */
export interface FakeInstance {
  labels?: Record<string, string>;
  state: 'Pending' | 'Alerting' | 'Error';
  activeSinceMs?: number;
}

/** A rule status as a source would report it, from its active instances (none: Normal). */
export function ruleStatus(uid: string, instances: FakeInstance[] = []): RuleStatus {
  const alert = alertCatalog.find((candidate) => candidate.uid === uid);
  if (!alert) throw new Error(`no alert ${uid} in the catalog`);
  const states = instances.map((instance) => instance.state);
  const state: AlertState = states.includes('Alerting')
    ? 'Firing'
    : states.includes('Pending')
      ? 'Pending'
      : 'Normal';
  const since = instances.flatMap((instance) =>
    instance.activeSinceMs === undefined ? [] : [instance.activeSinceMs],
  );
  return {
    uid,
    title: alert.title,
    state,
    health: 'ok',
    firingInstances: states.filter((s) => s === 'Alerting').length,
    pendingInstances: states.filter((s) => s === 'Pending').length,
    pendingSeconds: Number.parseInt(alert.pendingPeriod, 10),
    ...(since.length > 0 ? { activeSinceMs: Math.min(...since) } : {}),
    instances: instances.map((instance) => ({
      labels: instance.labels ?? {},
      state: instance.state,
      ...(instance.activeSinceMs === undefined ? {} : { activeSinceMs: instance.activeSinceMs }),
    })),
  };
}

/**
 * A scripted alert state source for unit tests: every rule of the catalog Normal unless `set`
 * says otherwise; `fail` makes the next answers throw as an unreachable source would.
 */
export class FakeAlertSource implements AlertStateSource {
  private readonly active = new Map<string, FakeInstance[]>();
  polls = 0;
  failing = false;

  constructor(readonly kind: AlertStateSource['kind'] = 'grafana') {}

  set(uid: string, instances: FakeInstance[]): this {
    this.active.set(uid, instances);
    return this;
  }

  /** Every rule back to Normal. */
  clear(): this {
    this.active.clear();
    return this;
  }

  async ruleStatuses(): Promise<Map<string, RuleStatus>> {
    this.polls += 1;
    if (this.failing) throw new Error('connection refused');
    return new Map(
      alertCatalog.map((alert) => [alert.uid, ruleStatus(alert.uid, this.active.get(alert.uid))]),
    );
  }
}
