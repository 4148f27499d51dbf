import type { GrafanaAlert } from './grafana-webhook.ts';

export type Severity = 'critical' | 'warning' | 'info';

/** One notification about an incident: which receiver was told what, and when it arrived. */
export interface Notice {
  receiver: string;
  status: 'firing' | 'resolved';
  at: Date;
  /**
   * When the alert started firing, as this notification says: one value per firing episode. A group's
   * notification lists every alert in the group, so a receiver can hear of one episode more than once.
   */
  since: Date;
  /** The notification's title as the templates rendered it; "" when the sender renders none. */
  title: string;
}

/** Who sent a notification and what its templates made of it. */
export interface NotificationSource {
  receiver: string;
  title: string;
}

export interface Incident {
  fingerprint: string;
  alertName: string;
  /** The alert's labels (which instance it is), without the private `__…__` ones. */
  labels: Record<string, string>;
  service: string;
  severity: Severity;
  summary: string;
  status: 'firing' | 'resolved';
  /** When Grafana says the alert started firing. */
  since: Date;
  resolvedAt: Date | undefined;
  /** The alert's reduced value, e.g. "B = 0.1842"; undefined for NoData/Error alerts. */
  value: string | undefined;
  generatorUrl: string;
  /** The panel the rule links to (latency or error rate, whose exemplars open traces); "" when none. */
  panelUrl: string;
  /** The notifications that told someone of it, oldest first (the last few). */
  notices: Notice[];
}

export interface IncidentStoreOptions {
  now?: () => Date;
  /** Resolved incidents stay visible (green) this long, and at most this many of them. */
  keepResolvedMs?: number;
  maxResolved?: number;
  /** Open incidents are few in practice; the cap only keeps a flood of fingerprints from growing memory. */
  maxOpen?: number;
  /** Notifications kept per incident (a flapping alert sends many). */
  maxNotices?: number;
}

function severityOf(label: string | undefined): Severity {
  return label === 'critical' || label === 'warning' ? label : 'info';
}

/**
 * The values Grafana's ruler puts in the `__values__` annotation; Grafana's Alertmanager turns it
 * into `values`, upstream Alertmanager passes the annotation on as it is.
 */
function valuesAnnotation(text: string | undefined): Record<string, number | null> | null {
  if (text === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, number | null>) : null;
  } catch {
    return null;
  }
}

// Rules reduce the query (B) and threshold it (C, 0 or 1): the first value is the one worth showing.
function valueOf(alert: GrafanaAlert): string | undefined {
  const values = alert.values ?? valuesAnnotation(alert.annotations.__values__);
  const first = Object.entries(values ?? {}).sort(([a], [b]) => a.localeCompare(b))[0];
  if (!first || typeof first[1] !== 'number') return undefined;
  return `${first[0]} = ${Number(first[1].toPrecision(4))}`;
}

/**
 * Incidents reported by Grafana's webhook (or Alertmanager's), keyed by alert fingerprint: firing
 * ones stay open until Grafana says resolved; resolved ones stay a while so the status page can show
 * them turning green. Each keeps the notifications about it: which receiver was told, and when.
 */
export class IncidentStore {
  private readonly incidents = new Map<string, Incident>();
  private readonly listeners = new Set<() => void>();
  private readonly now: () => Date;
  private readonly keepResolvedMs: number;
  private readonly maxResolved: number;
  private readonly maxOpen: number;
  private readonly maxNotices: number;

  constructor(options: IncidentStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.keepResolvedMs = options.keepResolvedMs ?? 60 * 60 * 1000;
    this.maxResolved = options.maxResolved ?? 20;
    this.maxOpen = options.maxOpen ?? 500;
    this.maxNotices = options.maxNotices ?? 10;
  }

  /** The alerts of one notification; `source` says which receiver it told (none: not recorded). */
  apply(alerts: GrafanaAlert[], source?: NotificationSource): void {
    for (const alert of alerts) {
      const previous = this.incidents.get(alert.fingerprint);
      const resolved = alert.status === 'resolved';
      const notice = source && {
        ...source,
        status: alert.status,
        at: this.now(),
        since: new Date(alert.startsAt),
      };
      const notices = [...(previous?.notices ?? []), ...(notice ? [notice] : [])].slice(-this.maxNotices);
      this.incidents.delete(alert.fingerprint); // re-inserted last: Map order is recency order
      this.incidents.set(alert.fingerprint, {
        fingerprint: alert.fingerprint,
        alertName: alert.labels.alertname ?? 'unnamed alert',
        labels: Object.fromEntries(Object.entries(alert.labels).filter(([name]) => !name.startsWith('__'))),
        service: alert.labels.service ?? '',
        severity: severityOf(alert.labels.severity),
        summary: alert.annotations.summary ?? alert.annotations.description ?? '',
        status: alert.status,
        since: new Date(alert.startsAt),
        resolvedAt: resolved ? (previous?.resolvedAt ?? this.now()) : undefined,
        value: valueOf(alert),
        generatorUrl: alert.generatorURL,
        panelUrl: alert.panelURL,
        notices,
      });
    }
    this.prune();
    this.notify();
  }

  /** Firing first (critical before warning), newest first within each group. */
  list(): Incident[] {
    this.prune();
    const rank = (i: Incident) =>
      i.status === 'resolved' ? 3 : i.severity === 'critical' ? 0 : i.severity === 'warning' ? 1 : 2;
    return [...this.incidents.values()].reverse().sort((a, b) => rank(a) - rank(b));
  }

  /** Every incident in the order they last changed, oldest first (what the archive keeps). */
  history(): Incident[] {
    this.prune();
    return [...this.incidents.values()];
  }

  /**
   * Puts back incidents kept from before a restart (oldest first). A fingerprint Grafana has
   * reported since is newer, and stays as it is.
   */
  restore(kept: Incident[]): void {
    const newer = new Map(this.incidents);
    this.incidents.clear();
    for (const incident of kept)
      if (!newer.has(incident.fingerprint)) this.incidents.set(incident.fingerprint, incident);
    for (const [fingerprint, incident] of newer) this.incidents.set(fingerprint, incident);
    this.prune();
    this.notify();
  }

  firing(): Incident[] {
    return this.list().filter((i) => i.status === 'firing');
  }

  /** Forgets every incident, open and resolved; returns how many there were. */
  clear(): { open: number; resolved: number } {
    const open = this.firing().length;
    const cleared = { open, resolved: this.list().length - open };
    this.incidents.clear();
    this.notify();
    return cleared;
  }

  /** Calls listener after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  private prune(): void {
    const cutoff = this.now().getTime() - this.keepResolvedMs;
    const resolved = [...this.incidents.values()].filter((i) => i.status === 'resolved');
    const open = [...this.incidents.values()].filter((i) => i.status === 'firing');
    resolved.forEach((incident, index) => {
      const expired = incident.resolvedAt!.getTime() < cutoff;
      if (expired || index < resolved.length - this.maxResolved) this.incidents.delete(incident.fingerprint);
    });
    open
      .slice(0, Math.max(0, open.length - this.maxOpen))
      .forEach((i) => this.incidents.delete(i.fingerprint));
  }
}
