import { z } from 'zod';
import { ruleGroup, type AlertDefinition, type InstanceLabels } from '../../domain/alerts.ts';
import { describeFetchFailure } from '../errors.ts';
import type { AlertmanagerClient, HeldAlert, Matcher, Silence } from '../clients/alertmanager-client.ts';
import { nothingKnown, type NotificationInfo } from './cards.ts';

// Who was told, and what is silenced or muted: read from the shop's status page (the incidents its
// webhook received) and from the Alertmanager when there is one. Either may be missing; the cards
// then simply show less.

// Only the fields read; older kept incidents may have no notices.
const incidentsResponse = z.object({
  incidents: z.array(
    z.object({
      alertName: z.string(),
      service: z.string().default(''),
      status: z.string(),
      labels: z.record(z.string(), z.string()).optional(),
      notices: z.array(z.object({ receiver: z.string(), status: z.string(), at: z.string() })).default([]),
    }),
  ),
});
export type Incident = z.infer<typeof incidentsResponse>['incidents'][number];

/** A matcher holds for these labels (regular expressions are anchored, as in Alertmanager). */
export function matcherHolds(m: Matcher, labels: Record<string, string>): boolean {
  const value = labels[m.name] ?? '';
  const equal = m.isRegex ? new RegExp(`^(?:${m.value})$`).test(value) : value === m.value;
  return m.isEqual ? equal : !equal;
}

/** The labels an instance's alert carries in an Alertmanager (enough to match silences on). */
export function alertLabels(alert: AlertDefinition, labels: InstanceLabels): Record<string, string> {
  return {
    alertname: alert.title,
    grafana_folder: ruleGroup.folder,
    __alert_rule_uid__: alert.uid,
    severity: alert.severity,
    ...(alert.service === 'all' ? {} : { service: alert.service }),
    ...labels,
  };
}

/** The incident is this instance's: same alert, and its instance labels where it says them. */
export function incidentIsFor(incident: Incident, alert: AlertDefinition, labels: InstanceLabels): boolean {
  if (incident.alertName !== alert.title) return false;
  if (alert.instanceLabels.length === 0) return true;
  if (incident.labels) return alert.instanceLabels.every((name) => incident.labels?.[name] === labels[name]);
  // The status page keeps the service label of every incident; other instance labels it may not.
  return alert.instanceLabels.length === 1 && alert.instanceLabels[0] === 'service'
    ? incident.service === labels.service
    : false;
}

/**
 * The receivers the firing notifications of an incident told, and when the latest arrived; "status
 * page" (its time unknown) for an incident kept from before the page recorded receivers.
 */
export function toldBy(incident: Incident): NonNullable<NotificationInfo['notified']> {
  const firing = incident.notices.filter((notice) => notice.status === 'firing');
  if (firing.length === 0) return { receivers: ['status page'], atMs: null };
  const times = firing.map((notice) => Date.parse(notice.at)).filter(Number.isFinite);
  return {
    receivers: [...new Set(firing.map((notice) => notice.receiver))],
    atMs: times.length > 0 ? Math.max(...times) : null,
  };
}

export interface NotificationState {
  incidents: Incident[] | null;
  alerts: HeldAlert[] | null;
  silences: Silence[] | null;
}

/** What the cards show for one instance, from whatever answered. */
export function notificationInfo(
  state: NotificationState,
  alert: AlertDefinition,
  labels: InstanceLabels,
): NotificationInfo {
  const full = alertLabels(alert, labels);
  const firing = state.incidents?.find((i) => i.status === 'firing' && incidentIsFor(i, alert, labels));
  const held = state.alerts?.find(
    (a) => a.labels.alertname === alert.title && alert.instanceLabels.every((n) => a.labels[n] === labels[n]),
  );
  const silenced =
    (held?.silencedBy.length ?? 0) > 0 ||
    (state.silences ?? []).some(
      (s) => s.state === 'active' && s.matchers.every((m) => matcherHolds(m, full)),
    );
  // Suppressed by no silence: a mute timing (or an inhibition) holds it back.
  const muted = held?.state === 'suppressed' && held.silencedBy.length === 0;
  if (!firing && !held && !silenced) return nothingKnown;
  return {
    notified: firing ? toldBy(firing) : null,
    routedTo: held?.receivers ?? [],
    silenced,
    muted,
  };
}

/** Polls the status page's incidents and the Alertmanager, keeping the latest answers. */
export class NotificationFeed {
  private state: NotificationState = { incidents: null, alerts: null, silences: null };
  private problems: string[] = [];

  constructor(
    private readonly frontendUrl: string,
    readonly alertmanager: AlertmanagerClient | null,
  ) {}

  get current(): NotificationState {
    return this.state;
  }

  /** Where the notifications come from, and what did not answer. */
  describe(): string {
    const sources = [
      `the status page at ${this.frontendUrl}`,
      this.alertmanager
        ? `${this.alertmanager.name} at ${this.alertmanager.apiUrl}`
        : 'no Alertmanager (silences unavailable)',
    ].join(' and ');
    return this.problems.length > 0 ? `${sources} — ${this.problems.join('; ')}` : sources;
  }

  /** Reads everything once; returns true when anything changed. */
  async refresh(): Promise<boolean> {
    const problems: string[] = [];
    const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | null> => {
      try {
        return await read();
      } catch (error) {
        problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      }
    };
    const [incidents, alerts, silences] = await Promise.all([
      attempt('status page', () => this.incidents()),
      this.alertmanager ? attempt('alerts', () => this.alertmanager!.alerts()) : null,
      this.alertmanager ? attempt('silences', () => this.alertmanager!.silences()) : null,
    ]);
    const next = { incidents, alerts, silences };
    const changed =
      JSON.stringify(next) !== JSON.stringify(this.state) || problems.join() !== this.problems.join();
    this.state = next;
    this.problems = problems;
    return changed;
  }

  private async incidents(): Promise<Incident[]> {
    let response: Response;
    try {
      response = await fetch(`${this.frontendUrl}/api/incidents`, { signal: AbortSignal.timeout(3_000) });
    } catch (error) {
      throw new Error(`no answer (${describeFetchFailure(error)})`);
    }
    if (!response.ok) throw new Error(`answered ${response.status}`);
    return incidentsResponse.parse(await response.json()).incidents;
  }
}
