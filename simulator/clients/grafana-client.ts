import { z } from 'zod';
import type { AlertState, AlertStateSource, RuleStatus } from '../alerts/state-source.ts';
import { describeFetchFailure, exitCodes, CliError, UnreachableError, UsageError } from '../errors.ts';

export interface DatasourceHealth {
  ok: boolean;
  /** OK, ERROR or UNKNOWN */
  status: string;
  message: string;
}

// Rule state of GET /api/prometheus/grafana/api/v1/rules (lower case), mapped to the UI's words.
const ruleStates: Record<string, AlertState> = {
  inactive: 'Normal',
  pending: 'Pending',
  firing: 'Firing',
  recovering: 'Recovering',
};

// Only the fields used; zod drops the rest, so fields added by newer Grafana versions do no harm.
const rulesResponse = z.object({
  status: z.string(),
  error: z.string().optional(),
  data: z
    .object({
      groups: z.array(
        z.object({
          rules: z.array(
            z.object({
              uid: z.string().optional(),
              name: z.string(),
              state: z.string().optional(),
              health: z.string(),
              type: z.string(),
              lastError: z.string().optional(),
              // The pending period in seconds; omitted when `for` is 0.
              duration: z.number().optional(),
              // Instance states are capitalised and may carry a reason: "Alerting (NoData)".
              // activeAt is the instance's StartsAt: when it entered its current state (Grafana's
              // ngalert/state resultAlerting sets it anew on Pending → Alerting).
              alerts: z
                .array(
                  z.object({
                    state: z.string(),
                    labels: z.record(z.string(), z.string()).optional(),
                    activeAt: z.string().optional(),
                  }),
                )
                .optional(),
            }),
          ),
        }),
      ),
    })
    .optional(),
});

const datasourceHealthResponse = z.object({ status: z.string(), message: z.string().optional() });

/** Parses the rules API answer into one status per alerting rule, by uid. */
export function parseRuleStatuses(json: unknown): Map<string, RuleStatus> {
  const parsed = rulesResponse.safeParse(json);
  if (!parsed.success) throw new Error(`unexpected answer from Grafana's rules API: ${parsed.error.message}`);
  if (parsed.data.status !== 'success' || !parsed.data.data) {
    throw new Error(`Grafana's rules API answered ${parsed.data.status}: ${parsed.data.error ?? 'no data'}`);
  }
  const statuses = new Map<string, RuleStatus>();
  for (const group of parsed.data.data.groups) {
    for (const rule of group.rules) {
      if (rule.type !== 'alerting' || rule.uid === undefined) continue;
      const instances: NonNullable<RuleStatus['instances']> = (rule.alerts ?? []).flatMap((alert) => {
        const state = alert.state.split(' ')[0] ?? alert.state;
        const activeSinceMs = epochMs(alert.activeAt);
        if (state === 'Normal') return [];
        const labels = alert.labels ?? {};
        return [activeSinceMs === undefined ? { labels, state } : { labels, state, activeSinceMs }];
      });
      const active = instances.filter(
        (instance) => instance.state === 'Alerting' || instance.state === 'Pending',
      );
      const activeSince = Math.min(...active.map((instance) => instance.activeSinceMs ?? Infinity));
      statuses.set(rule.uid, {
        uid: rule.uid,
        title: rule.name,
        state: ruleStates[rule.state ?? 'inactive'] ?? 'Normal',
        health: rule.health,
        firingInstances: instances.filter((instance) => instance.state === 'Alerting').length,
        pendingInstances: instances.filter((instance) => instance.state === 'Pending').length,
        ...(rule.lastError ? { lastError: rule.lastError } : {}),
        pendingSeconds: rule.duration ?? 0,
        ...(Number.isFinite(activeSince) ? { activeSinceMs: activeSince } : {}),
        instances,
      });
    }
  }
  return statuses;
}

/** An RFC 3339 time as epoch ms; undefined when absent or Go's zero time (0001-01-01). */
function epochMs(time: string | undefined): number | undefined {
  const ms = time === undefined ? NaN : Date.parse(time);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** Reads alert states and data source health from Grafana's HTTP API (basic auth). */
export class GrafanaClient implements AlertStateSource {
  readonly kind = 'grafana';

  constructor(
    readonly baseUrl: string,
    private readonly user: string,
    private readonly password: string,
    private readonly timeoutMs = 4_000,
  ) {}

  /** Grafana's own health endpoint answers (no credentials needed). */
  async reachable(): Promise<boolean> {
    try {
      await this.get('/api/health');
      return true;
    } catch (error) {
      if (error instanceof UnreachableError) return false;
      throw error;
    }
  }

  async ruleStatuses(): Promise<Map<string, RuleStatus>> {
    const { body } = await this.get('/api/prometheus/grafana/api/v1/rules');
    return parseRuleStatuses(body);
  }

  async datasourceHealth(uid: string): Promise<DatasourceHealth> {
    // 200 when OK, 400 with the same body shape when the data source is unhealthy.
    const { status, body } = await this.get(
      `/api/datasources/uid/${encodeURIComponent(uid)}/health`,
      [400, 404],
    );
    const parsed = datasourceHealthResponse.safeParse(body);
    if (status === 404 || !parsed.success) {
      return { ok: false, status: 'MISSING', message: `no data source with uid ${uid}` };
    }
    return {
      ok: status === 200 && parsed.data.status === 'OK',
      ...parsed.data,
      message: parsed.data.message ?? '',
    };
  }

  private async get(path: string, acceptStatuses: number[] = []): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${this.user}:${this.password}`).toString('base64')}`,
        },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new UnreachableError('Grafana', this.baseUrl, describeFetchFailure(error));
    }
    if (response.status === 401 || response.status === 403) {
      throw new UsageError(
        `Grafana refused user "${this.user}" (${response.status}): set GRAFANA_USER and GRAFANA_PASSWORD`,
      );
    }
    const text = await response.text();
    let body: unknown = {};
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's error page, say): reported below by status.
    }
    if (!response.ok && !acceptStatuses.includes(response.status)) {
      throw new CliError(`Grafana answered ${response.status} to ${path}`, exitCodes.failure);
    }
    return { status: response.status, body };
  }
}
