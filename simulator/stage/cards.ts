import { alertCatalog, ruleGroup, type AlertDefinition, type InstanceLabels } from '../../domain/alerts.ts';
import { instanceKey, instanceLabels, instanceName, instanceState } from '../alerts/instances.ts';
import type { RuleStatus } from '../alerts/state-source.ts';
import { cardPhase } from './card-phase.ts';
import type { CardView } from './snapshot.ts';
import type { ValueHistory } from './value-history.ts';

/** "high-cpu service=api", or the uid alone for a rule with one instance. */
export function cardId(alert: AlertDefinition, labels: InstanceLabels): string {
  return [alert.uid, instanceName(instanceLabels(alert, labels))].filter(Boolean).join(' ');
}

/** What the notification side knows of one instance. */
export interface NotificationInfo {
  notified: CardView['notified'];
  routedTo: string[];
  silenced: boolean;
  muted: boolean;
}

export const nothingKnown: NotificationInfo = { notified: null, routedTo: [], silenced: false, muted: false };

/** The running scenario's expectations: which instances should fire, and when. */
export interface RunExpectation {
  startedAtMs: number;
  /** Seconds from the start, by uid. */
  fireSeconds: Map<string, number>;
  /** Card ids of the instances the scenario fires. */
  cardIds: Set<string>;
}

export interface CardInputs {
  /** Rule statuses by uid; null when the source did not answer. */
  statuses: Map<string, RuleStatus> | null;
  history: ValueHistory;
  /** Instances seen active that the catalog does not list, by uid. */
  seen: Map<string, InstanceLabels[]>;
  notifications(alert: AlertDefinition, labels: InstanceLabels): NotificationInfo;
  /** The latest reset or scenario end that removed each alert's cause. */
  clearedAtMs: Map<string, number>;
  expectation: RunExpectation | null;
  nowMs: number;
}

/** The instances a rule gets a card for: those the catalog expects of any scenario, then any seen active. */
export function cardInstances(
  alert: AlertDefinition,
  seen: readonly InstanceLabels[] = [],
): InstanceLabels[] {
  const byKey = new Map<string, InstanceLabels>();
  const all = [...Object.values(alert.firesIn).flat(), ...seen];
  for (const labels of all.length > 0 ? all : [{}]) {
    const own = instanceLabels(alert, labels);
    byKey.set(instanceKey(alert, own), own);
  }
  return [...byKey.values()];
}

/** One card per rule, and per instance where a rule has several, in the catalog's order. */
export function buildCards(inputs: CardInputs): CardView[] {
  return alertCatalog.flatMap((alert) =>
    cardInstances(alert, inputs.seen.get(alert.uid)).map((labels) => buildCard(alert, labels, inputs)),
  );
}

function buildCard(alert: AlertDefinition, labels: InstanceLabels, inputs: CardInputs): CardView {
  const id = cardId(alert, labels);
  const status = inputs.statuses?.get(alert.uid);
  const reported = status?.instances?.find(
    (instance) => instanceKey(alert, instanceLabels(alert, instance.labels)) === instanceKey(alert, labels),
  );
  const notEvaluated = status?.health === 'unknown';
  const state = !status || notEvaluated ? 'Unknown' : reported ? instanceState(reported.state) : 'Normal';
  const latest = inputs.history.latest(id);
  const fireSeconds = inputs.expectation?.cardIds.has(id)
    ? inputs.expectation.fireSeconds.get(alert.uid)
    : undefined;
  const cleared = inputs.clearedAtMs.get(alert.uid);
  const phase = cardPhase({
    state,
    ...(reported?.activeSinceMs === undefined ? {} : { activeSinceMs: reported.activeSinceMs }),
    pendingSeconds: status?.pendingSeconds ?? alert.timing.pendingSeconds,
    intervalSeconds: ruleGroup.intervalSeconds,
    threshold: alert.threshold,
    ...(latest ? { latest } : {}),
    ...(cleared === undefined ? {} : { clearedAtMs: cleared }),
    resolveSeconds: alert.expectedSecondsToResolve,
    ...(fireSeconds === undefined || !inputs.expectation
      ? {}
      : { expectedFireAtMs: inputs.expectation.startedAtMs + fireSeconds * 1000 }),
    nowMs: inputs.nowMs,
  });
  const reason =
    phase.reason ??
    (notEvaluated
      ? status?.lastError
      : state === 'Error' || state === 'NoData'
        ? status?.lastError
        : undefined);
  return {
    id,
    uid: alert.uid,
    title: alert.title,
    instance: instanceName(labels),
    datasource: alert.datasource,
    severity: alert.severity,
    threshold: alert.threshold,
    state: phase.state,
    ...(reason ? { reason } : {}),
    clock: phase.clock,
    value: latest ?? null,
    points: inputs.history.points(id).map((point) => [point.atMs, point.value]),
    ...inputs.notifications(alert, labels),
    expected: inputs.expectation?.cardIds.has(id) ?? false,
  };
}
