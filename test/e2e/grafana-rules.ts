// Alert rule states from Grafana's Prometheus-compatible rules endpoint,
// GET /api/prometheus/grafana/api/v1/rules (Grafana's RouteGetRuleStatuses; Viewer or admin may read it).
// Rule `state` is the worst state of its instances: inactive, pending, firing, or recovering (Grafana 12).

export type RuleState = 'inactive' | 'pending' | 'firing' | 'recovering';

export interface RuleStatus {
  uid: string;
  name: string;
  state: RuleState;
  /** ok, error or nodata */
  health: string;
}

const ruleStates: readonly string[] = ['inactive', 'pending', 'firing', 'recovering'];

/** Flattens the response's groups into one status per rule; throws on anything not shaped like it. */
export function ruleStatuses(body: unknown): RuleStatus[] {
  const response = body as { status?: string; data?: { groups?: { rules?: unknown[] }[] } };
  if (response?.status !== 'success' || !Array.isArray(response.data?.groups)) {
    throw new Error(`not a successful rules response: ${JSON.stringify(body).slice(0, 300)}`);
  }
  return response.data.groups.flatMap((group) =>
    (group.rules ?? []).map((raw) => {
      const rule = raw as Partial<RuleStatus>;
      if (typeof rule.uid !== 'string' || !ruleStates.includes(rule.state as string)) {
        throw new Error(`unexpected rule in the rules response: ${JSON.stringify(raw).slice(0, 300)}`);
      }
      return {
        uid: rule.uid,
        name: String(rule.name),
        state: rule.state as RuleState,
        health: String(rule.health),
      };
    }),
  );
}

export async function fetchRuleStatuses(
  grafanaUrl: string,
  user: string,
  password: string,
): Promise<RuleStatus[]> {
  const response = await fetch(`${grafanaUrl}/api/prometheus/grafana/api/v1/rules`, {
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok)
    throw new Error(`Grafana rules API answered ${response.status}: ${await response.text()}`);
  return ruleStatuses(await response.json());
}

export function uidsIn(statuses: RuleStatus[], state: RuleState): string[] {
  return statuses
    .filter((s) => s.state === state)
    .map((s) => s.uid)
    .sort();
}
