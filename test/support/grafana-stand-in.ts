import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A rule's state in Grafana's rules API (lower case), and its one instance's in the UI's words. */
export type StandInRuleState = 'inactive' | 'pending' | 'firing';
const instanceStates: Record<StandInRuleState, string> = {
  inactive: 'Normal',
  pending: 'Pending',
  firing: 'Alerting',
};

const fixture = (name: string) =>
  readFileSync(new URL(`../../simulator/fixtures/${name}`, import.meta.url), 'utf8');
const rulesFixture = fixture('prometheus-rules-response.json');
const healthyDatasource = fixture('datasource-health-ok.json');

interface FixtureRule {
  uid: string;
  state: string;
  alerts?: { state: string }[];
}

export interface GrafanaStandIn {
  url: string;
  close(): Promise<void>;
}

/**
 * Grafana's HTTP API as the simulator reads it, in Grafana 12's shapes (simulator/fixtures): its
 * health, every data source healthy, and the rules API with each rule's state from `stateOf`
 * (asked anew on every request, so a test can tie it to the real database or switch it).
 */
export async function startGrafanaStandIn(
  stateOf: (uid: string) => StandInRuleState | Promise<StandInRuleState>,
): Promise<GrafanaStandIn> {
  const rulesNow = async () => {
    const document = JSON.parse(rulesFixture) as { data: { groups: { rules: FixtureRule[] }[] } };
    for (const rule of document.data.groups.flatMap((group) => group.rules)) {
      const state = await stateOf(rule.uid);
      rule.state = state;
      rule.alerts = (rule.alerts ?? []).map((alert) => ({ ...alert, state: instanceStates[state] }));
    }
    return JSON.stringify(document);
  };
  const server = createServer((req, res) => {
    const send = (body: string) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (req.url === '/api/health') return send('{"database":"ok","version":"12.2.0"}');
    if (req.url?.startsWith('/api/datasources/uid/')) return send(healthyDatasource);
    if (req.url === '/api/prometheus/grafana/api/v1/rules') {
      return void rulesNow().then(send, () => {
        res.writeHead(500);
        res.end();
      });
    }
    res.writeHead(404);
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
