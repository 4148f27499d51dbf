import type { Logger } from 'pino';
import type { Sql } from '../kit/index.ts';
import type { Incident, IncidentStore, Notice, Severity } from './incidents.ts';

interface IncidentRow {
  fingerprint: string;
  alert_name: string;
  /** The labels as JSON. */
  labels: string;
  service: string;
  severity: Severity;
  summary: string;
  status: Incident['status'];
  since: Date;
  resolved_at: Date | null;
  value: string | null;
  generator_url: string;
  panel_url: string;
  /** The notices as JSON: [{receiver, status, at, since, title}]. */
  notices: string;
  position: number;
}

type StoredNotice = Omit<Notice, 'at' | 'since'> & { at: string; since?: string };

/** Notices archived before they carried `since` take the incident's. */
function parseNotices(text: string, incidentSince: Date): Notice[] {
  return (JSON.parse(text) as StoredNotice[]).map((notice) => ({
    ...notice,
    at: new Date(notice.at),
    since: notice.since === undefined ? incidentSince : new Date(notice.since),
  }));
}

const toRow = (incident: Incident, position: number): IncidentRow => ({
  fingerprint: incident.fingerprint,
  alert_name: incident.alertName,
  labels: JSON.stringify(incident.labels),
  service: incident.service,
  severity: incident.severity,
  summary: incident.summary,
  status: incident.status,
  since: incident.since,
  resolved_at: incident.resolvedAt ?? null,
  value: incident.value ?? null,
  generator_url: incident.generatorUrl,
  panel_url: incident.panelUrl,
  notices: JSON.stringify(incident.notices),
  position,
});

const fromRow = (row: IncidentRow): Incident => ({
  fingerprint: row.fingerprint,
  alertName: row.alert_name,
  labels: JSON.parse(row.labels) as Record<string, string>,
  service: row.service,
  severity: row.severity,
  summary: row.summary,
  status: row.status,
  since: row.since,
  resolvedAt: row.resolved_at ?? undefined,
  value: row.value ?? undefined,
  generatorUrl: row.generator_url,
  panelUrl: row.panel_url,
  notices: parseNotices(row.notices, row.since),
});

export interface IncidentArchiveOptions {
  /** How long to wait before trying PostgreSQL again after a failed read or write. */
  retryMs?: number;
}

/**
 * Keeps the status page's incidents in PostgreSQL (status_incidents), so a restarted frontend shows
 * what still fires: Grafana re-sends a firing alert only every few hours. Pages always read the
 * store in memory, so they keep working while PostgreSQL is down; the archive is read once at
 * start-up and rewritten after every change, retrying until PostgreSQL takes it.
 */
export class IncidentArchive {
  private readonly retryMs: number;
  private writes: Promise<unknown> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | undefined;
  private restored = false;
  private saveWhenRestored = false;
  private closed = false;
  private restoreProblem = 'not read yet';

  constructor(
    private readonly sql: Sql,
    private readonly store: IncidentStore,
    private readonly logger: Logger,
    options: IncidentArchiveOptions = {},
  ) {
    this.retryMs = options.retryMs ?? 5_000;
  }

  /**
   * Reads the kept incidents into the store, trying again until PostgreSQL answers. Changes that
   * arrive meanwhile are written once it has (an earlier write would drop the kept ones).
   */
  async restore(): Promise<void> {
    while (!this.closed) {
      try {
        const rows = await this.sql<IncidentRow[]>`SELECT * FROM status_incidents ORDER BY position`;
        this.store.restore(rows.map(fromRow));
        this.restored = true;
        this.logger.info({ incidents: rows.length }, 'incidents restored from PostgreSQL');
        if (this.saveWhenRestored) void this.save();
        return;
      } catch (err) {
        this.restoreProblem = `incidents not read from PostgreSQL yet: ${(err as Error).message}`;
        this.logger.warn({ err }, `could not read the kept incidents; trying again in ${this.retryMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, this.retryMs).unref());
      }
    }
  }

  /** For /ready: fails until the kept incidents are back on the page. */
  async checkRestored(): Promise<void> {
    if (!this.restored) throw new Error(this.restoreProblem);
  }

  /**
   * Writes the store as it is when the write runs. Writes run one at a time, so the last one holds
   * the latest state; after a failure another is tried later. Resolves true once stored.
   */
  save(): Promise<boolean> {
    if (!this.restored) {
      this.saveWhenRestored = true;
      return Promise.resolve(false);
    }
    const write = this.writes.then(() => this.write(this.store.history()));
    this.writes = write.catch(() => {});
    return write.then(
      () => true,
      (err: unknown) => {
        this.logger.error({ err }, `could not store the incidents; trying again in ${this.retryMs} ms`);
        this.retryLater();
        return false;
      },
    );
  }

  /** Stops retrying and waits for the write in progress, before the database pool closes. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.writes;
  }

  private retryLater(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.save();
    }, this.retryMs);
    this.retryTimer.unref();
  }

  private async write(incidents: Incident[]): Promise<void> {
    const rows = incidents.map(toRow);
    await this.sql.begin(async (tx) => {
      const kept = rows.map((r) => r.fingerprint);
      await tx`DELETE FROM status_incidents WHERE NOT (fingerprint = ANY(${kept}::text[]))`;
      if (rows.length === 0) return;
      await tx`
        INSERT INTO status_incidents ${tx(rows)}
        ON CONFLICT (fingerprint) DO UPDATE SET
          alert_name = excluded.alert_name, labels = excluded.labels, service = excluded.service, severity = excluded.severity,
          summary = excluded.summary, status = excluded.status, since = excluded.since,
          resolved_at = excluded.resolved_at, value = excluded.value,
          generator_url = excluded.generator_url, panel_url = excluded.panel_url,
          notices = excluded.notices, position = excluded.position`;
    });
  }
}
