import { z } from 'zod';
import { CliError, describeFetchFailure, exitCodes, UnreachableError, UsageError } from '../errors.ts';

// The Alertmanager API v2, as upstream Alertmanager serves it (the native stack) and as Grafana
// serves its embedded one under /api/alertmanager/grafana/api/v2 (the Docker stack).

/** A label matcher of a silence: `name=value` (isEqual, not a regex). */
export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

export interface Silence {
  id: string;
  state: 'active' | 'pending' | 'expired';
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface NewSilence {
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** An alert as the ruler posts it (upstream PostableAlert). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

/** An alert as the Alertmanager holds it: whether it is silenced, muted or inhibited, and its receivers. */
export interface HeldAlert {
  labels: Record<string, string>;
  fingerprint: string;
  startsAt: string;
  endsAt: string;
  state: 'active' | 'suppressed' | 'unprocessed';
  silencedBy: string[];
  receivers: string[];
}

const matcher = z.object({
  name: z.string(),
  value: z.string(),
  isRegex: z.boolean(),
  isEqual: z.boolean().default(true),
});
const gettableSilence = z.object({
  id: z.string(),
  status: z.object({ state: z.enum(['active', 'pending', 'expired']) }),
  matchers: z.array(matcher),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string(),
  comment: z.string().default(''),
});
const gettableAlert = z.object({
  labels: z.record(z.string(), z.string()),
  fingerprint: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.object({
    state: z.enum(['active', 'suppressed', 'unprocessed']),
    silencedBy: z.array(z.string()).nullish(),
  }),
  receivers: z.array(z.object({ name: z.string() })).nullish(),
});

export class AlertmanagerClient {
  /**
   * @param name how messages name it: "Alertmanager" or "Grafana's Alertmanager"
   * @param apiUrl the API v2 root, e.g. http://127.0.0.1:9093/api/v2
   */
  constructor(
    readonly name: string,
    readonly apiUrl: string,
    private readonly authorization?: string,
    private readonly timeoutMs = 4_000,
  ) {}

  /** The native stack's Alertmanager. */
  static upstream(baseUrl: string): AlertmanagerClient {
    return new AlertmanagerClient('Alertmanager', `${baseUrl}/api/v2`);
  }

  /** Grafana's embedded Alertmanager (basic auth as the simulator's Grafana user). */
  static grafana(grafanaUrl: string, user: string, password: string): AlertmanagerClient {
    const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    return new AlertmanagerClient(
      "Grafana's Alertmanager",
      `${grafanaUrl}/api/alertmanager/grafana/api/v2`,
      basic,
    );
  }

  async silences(): Promise<Silence[]> {
    const body = await this.call('GET', '/silences');
    return z
      .array(gettableSilence)
      .parse(body)
      .map(({ status, ...silence }) => ({ ...silence, state: status.state }));
  }

  async createSilence(silence: NewSilence): Promise<string> {
    const body = await this.call('POST', '/silences', silence);
    return z.object({ silenceID: z.string() }).parse(body).silenceID;
  }

  /** Expires the silence (Alertmanager keeps expired ones for a while, as the API does). */
  async expireSilence(id: string): Promise<void> {
    await this.call('DELETE', `/silence/${encodeURIComponent(id)}`);
  }

  async alerts(): Promise<HeldAlert[]> {
    const body = await this.call('GET', '/alerts');
    return z
      .array(gettableAlert)
      .parse(body)
      .map(({ status, receivers, ...alert }) => ({
        ...alert,
        state: status.state,
        silencedBy: status.silencedBy ?? [],
        receivers: (receivers ?? []).map((receiver) => receiver.name),
      }));
  }

  /** Posts alerts as a ruler does (upstream only: Grafana's Alertmanager takes its own ruler's). */
  async postAlerts(alerts: PostableAlert[]): Promise<void> {
    if (alerts.length > 0) await this.call('POST', '/alerts', alerts);
  }

  private async call(method: string, path: string, json?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.apiUrl}${path}`, {
        method,
        headers: {
          ...(this.authorization ? { authorization: this.authorization } : {}),
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new UnreachableError(this.name, this.apiUrl, describeFetchFailure(error));
    }
    const text = await response.text();
    if (response.status === 401 || response.status === 403)
      throw new UsageError(
        `${this.name} refused the request (${response.status}): check GRAFANA_USER and GRAFANA_PASSWORD`,
      );
    if (!response.ok)
      throw new CliError(
        `${this.name} answered ${response.status} to ${method} ${path}: ${text.trim()}`,
        exitCodes.failure,
      );
    return text === '' ? {} : (JSON.parse(text) as unknown);
  }
}
