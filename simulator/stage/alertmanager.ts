import { z } from 'zod';
import { describeFetchFailure } from '../errors.ts';

// The Alertmanager v2 API as the stage uses it: the alerts it holds (with their silences, mutes and
// receivers) and the silences. Grafana embeds one (/api/alertmanager/grafana/api/v2, basic auth);
// on the native stack an upstream Alertmanager answers at /api/v2.

const matcher = z.object({
  name: z.string(),
  value: z.string(),
  isRegex: z.boolean(),
  isEqual: z.boolean().optional(),
});
export type SilenceMatcher = z.infer<typeof matcher>;

const silence = z.object({
  id: z.string(),
  matchers: z.array(matcher),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string(),
  comment: z.string().optional(),
  status: z.object({ state: z.string() }),
});
export type Silence = z.infer<typeof silence>;

const alert = z.object({
  labels: z.record(z.string(), z.string()),
  receivers: z.array(z.object({ name: z.string() })).default([]),
  status: z.object({
    state: z.string(),
    silencedBy: z.array(z.string()).nullish(),
    inhibitedBy: z.array(z.string()).nullish(),
    // Alertmanager 0.27 and later: the time intervals that mute it now.
    mutedBy: z.array(z.string()).nullish(),
  }),
});
export type AlertmanagerAlert = z.infer<typeof alert>;

export interface AlertmanagerTarget {
  /** "Grafana's Alertmanager at …" or "Alertmanager at …". */
  label: string;
  /** The v2 API's base, without a trailing slash. */
  apiUrl: string;
  headers: Record<string, string>;
}

export function grafanaAlertmanager(grafanaUrl: string, user: string, password: string): AlertmanagerTarget {
  return {
    label: `Grafana's Alertmanager at ${grafanaUrl}`,
    apiUrl: `${grafanaUrl}/api/alertmanager/grafana/api/v2`,
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
  };
}

export function upstreamAlertmanager(url: string): AlertmanagerTarget {
  return { label: `Alertmanager at ${url}`, apiUrl: `${url.replace(/\/$/, '')}/api/v2`, headers: {} };
}

/** A matcher holds for these labels (regular expressions are anchored, as in Alertmanager). */
export function matcherHolds(m: SilenceMatcher, labels: Record<string, string>): boolean {
  const value = labels[m.name] ?? '';
  const equal = m.isRegex ? new RegExp(`^(?:${m.value})$`).test(value) : value === m.value;
  return m.isEqual === false ? !equal : equal;
}

export class AlertmanagerClient {
  constructor(
    readonly target: AlertmanagerTarget,
    private readonly timeoutMs = 3_000,
  ) {}

  async alerts(): Promise<AlertmanagerAlert[]> {
    return z.array(alert).parse(await this.call('GET', '/alerts'));
  }

  /** Active and pending silences (expired ones are left out). */
  async silences(): Promise<Silence[]> {
    const all = z.array(silence).parse(await this.call('GET', '/silences'));
    return all.filter((s) => s.status.state !== 'expired');
  }

  /** Creates a silence; returns its id. */
  async createSilence(body: {
    matchers: SilenceMatcher[];
    startsAt: string;
    endsAt: string;
    createdBy: string;
    comment: string;
  }): Promise<string> {
    const answer = z.object({ silenceID: z.string() }).parse(await this.call('POST', '/silences', body));
    return answer.silenceID;
  }

  async expireSilence(id: string): Promise<void> {
    await this.call('DELETE', `/silence/${encodeURIComponent(id)}`);
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.target.apiUrl}${path}`, {
        method,
        headers: {
          ...this.target.headers,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new Error(`${this.target.label} did not answer (${describeFetchFailure(error)})`);
    }
    const text = await response.text();
    if (!response.ok) {
      throw new Error(
        `${this.target.label} answered ${response.status} to ${method} ${path}: ${text.slice(0, 200)}`,
      );
    }
    return text === '' ? {} : (JSON.parse(text) as unknown);
  }
}
