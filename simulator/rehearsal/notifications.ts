// What the receivers heard of one alert instance during a rehearsal, read from the status page (every
// receiver delivers there), against what the notification design says they should hear.
import type { AlertDefinition, InstanceLabels } from '../../domain/alerts.ts';
import {
  alertInstanceLabels,
  groupIntervalSeconds,
  groupWaitSeconds,
  receiversFor,
} from '../../grafana/src/index.ts';
import type { IncidentNotices } from '../clients/shop-client.ts';

export type NotificationProblem =
  | 'not notified'
  | 'notified late'
  | 'wrong receivers'
  | 'resolve not notified'
  | 'notified while silenced'
  | 'fired twice';

/** Heard within group_wait and one evaluation interval of the state change, as the target says. */
export const notifySlackSeconds = groupWaitSeconds + groupIntervalSeconds;

export interface InstanceNotifications {
  /** The receivers the policy tree sends this instance to. */
  expectedReceivers: string[];
  /** The receivers that sent a firing notification. */
  receivers: string[];
  /** Seconds from the scenario's start to the first firing notification. */
  notifiedAtSeconds?: number;
  /** Seconds from the reset to the first resolved notification. */
  resolveNotifiedAtSeconds?: number;
  /**
   * The firing episodes a receiver was told of, and told were resolved, at most over the receivers
   * (one each when calm). Episodes are told apart by the alert's start: a group's later notification
   * lists its still-firing alerts again, which tells of no new episode.
   */
  firings: number;
  resolves: number;
}

export interface NotificationExpectations {
  /** Seconds from the scenario's start when the instance fired (the watch saw it Firing). */
  firedAtSeconds?: number;
  /** Seconds from the reset when it was Normal again. */
  resolvedAtSeconds?: number;
  /** A silence covered it until this many seconds after the scenario's start. */
  silencedUntilSeconds?: number;
  /** Exactly one firing episode, resolved once, per receiver (the flapping scenario). */
  onePair?: boolean;
}

/** The notifications of one expected instance, from the incidents the status page holds. */
export function instanceNotifications(
  incidents: readonly IncidentNotices[],
  alert: AlertDefinition,
  labels: InstanceLabels,
  times: { startedAtMs: number; resetAtMs: number },
): InstanceNotifications {
  const notices = incidents
    .filter((incident) => incident.alertName === alert.title)
    .filter((incident) => Object.entries(labels).every(([name, value]) => incident.labels[name] === value))
    .flatMap((incident) => incident.notices)
    .filter((notice) => Date.parse(notice.at) >= times.startedAtMs);
  const firing = notices.filter((notice) => notice.status === 'firing');
  const resolved = notices.filter(
    (notice) => notice.status === 'resolved' && Date.parse(notice.at) >= times.resetAtMs,
  );
  const first = (list: typeof notices, fromMs: number) =>
    list.length === 0
      ? undefined
      : (Math.min(...list.map((notice) => Date.parse(notice.at))) - fromMs) / 1000;
  const episodesPerReceiver = (list: typeof notices) =>
    Math.max(
      0,
      ...[...new Set(list.map((n) => n.receiver))].map(
        (r) => new Set(list.filter((n) => n.receiver === r).map((n) => Date.parse(n.since))).size,
      ),
    );
  const notifiedAtSeconds = first(firing, times.startedAtMs);
  const resolveNotifiedAtSeconds = first(resolved, times.resetAtMs);
  return {
    expectedReceivers: receiversFor(alertInstanceLabels(alert, labels)),
    receivers: [...new Set(firing.map((notice) => notice.receiver))].sort(),
    ...(notifiedAtSeconds === undefined ? {} : { notifiedAtSeconds }),
    ...(resolveNotifiedAtSeconds === undefined ? {} : { resolveNotifiedAtSeconds }),
    firings: episodesPerReceiver(firing),
    resolves: episodesPerReceiver(notices.filter((notice) => notice.status === 'resolved')),
  };
}

/** What is wrong with what the receivers heard; [] when they heard it on time from the right ones. */
export function notificationProblems(
  heard: InstanceNotifications,
  expect: NotificationExpectations,
): NotificationProblem[] {
  if (expect.firedAtSeconds === undefined) return [];
  const problems: NotificationProblem[] = [];
  if (heard.notifiedAtSeconds === undefined) problems.push('not notified');
  else {
    const from = Math.max(expect.firedAtSeconds, expect.silencedUntilSeconds ?? 0);
    if (expect.silencedUntilSeconds !== undefined && heard.notifiedAtSeconds < expect.silencedUntilSeconds)
      problems.push('notified while silenced');
    else if (heard.notifiedAtSeconds > from + notifySlackSeconds) problems.push('notified late');
  }
  if (
    heard.notifiedAtSeconds !== undefined &&
    heard.receivers.join() !== [...heard.expectedReceivers].sort().join()
  )
    problems.push('wrong receivers');
  if (expect.resolvedAtSeconds !== undefined) {
    if (heard.resolveNotifiedAtSeconds === undefined) problems.push('resolve not notified');
    else if (heard.resolveNotifiedAtSeconds > expect.resolvedAtSeconds + notifySlackSeconds)
      problems.push('notified late');
  }
  if (expect.onePair && (heard.firings > 1 || heard.resolves > 1)) problems.push('fired twice');
  return [...new Set(problems)];
}
