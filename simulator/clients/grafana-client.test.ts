import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreachableError, UsageError } from '../errors.ts';
import { GrafanaClient, parseRuleStatuses } from './grafana-client.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const rulesFixture = fixture('prometheus-rules-response.json');
const healthFixture = fixture('datasource-health-ok.json');

/** A stand-in Grafana answering with the fixtures, behind basic auth admin:secret. */
let server: Server;
let grafanaUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (req.url === '/api/health') return send(200, '{"database":"ok","version":"12.2.0"}');
    if (req.headers.authorization !== `Basic ${Buffer.from('admin:secret').toString('base64')}`) {
      return send(401, '{"message":"invalid username or password"}');
    }
    if (req.url === '/api/prometheus/grafana/api/v1/rules') return send(200, rulesFixture);
    if (req.url === '/api/datasources/uid/prometheus/health') return send(200, healthFixture);
    if (req.url === '/api/datasources/uid/loki/health') {
      return send(400, '{"status":"ERROR","message":"Unable to connect with Loki"}');
    }
    return send(404, '{"message":"Data source not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  grafanaUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('parseRuleStatuses on the Grafana 12 rules fixture', () => {
  const statuses = parseRuleStatuses(JSON.parse(rulesFixture));

  it('reads one status per alerting rule, by uid', () => {
    expect([...statuses.keys()].sort()).toEqual([
      'critical-inventory',
      'failed-logins',
      'high-cpu',
      'high-error-rate',
      'low-inventory',
      'payment-failures',
      'slow-responses',
    ]);
  });

  it('maps rule states to Normal / Pending / Firing and counts instances', () => {
    expect(statuses.get('high-error-rate')).toMatchObject({
      title: 'High error rate',
      state: 'Firing',
      firingInstances: 2,
    });
    expect(statuses.get('slow-responses')).toMatchObject({ state: 'Pending', pendingInstances: 1 });
    expect(statuses.get('low-inventory')).toMatchObject({
      state: 'Normal',
      health: 'ok',
      firingInstances: 0,
    });
  });

  it('reads the pending period, when each active instance became active, and its labels', () => {
    const errorRate = statuses.get('high-error-rate')!;
    expect(errorRate.pendingSeconds).toBe(30);
    // The earliest of the two Alerting instances (api since 10:15:20, frontend since 10:15:30).
    expect(errorRate.activeSinceMs).toBe(Date.parse('2026-11-22T10:15:20Z'));
    expect(errorRate.instances).toEqual([
      expect.objectContaining({ state: 'Alerting', activeSinceMs: Date.parse('2026-11-22T10:15:20Z') }),
      expect.objectContaining({ state: 'Alerting', activeSinceMs: Date.parse('2026-11-22T10:15:30Z') }),
    ]);
    expect(errorRate.instances!.map((instance) => instance.labels.service)).toEqual(['api', 'frontend']);
    expect(statuses.get('slow-responses')).toMatchObject({
      pendingSeconds: 60,
      activeSinceMs: Date.parse('2026-11-22T10:15:40Z'),
      instances: [expect.objectContaining({ state: 'Pending' })],
    });
  });

  it('lists only instances that are not Normal; `for: 0s` (no duration) is a pending period of 0', () => {
    // high-cpu has "Normal" and "Normal (MissingSeries)" instances; failed-logins "Normal (NoData)".
    for (const uid of ['high-cpu', 'failed-logins', 'low-inventory']) {
      expect(statuses.get(uid)?.instances, uid).toEqual([]);
      expect(statuses.get(uid)?.activeSinceMs, uid).toBeUndefined();
    }
    expect(statuses.get('low-inventory')?.pendingSeconds).toBe(0);
  });

  it('keeps health separately: "Normal (NoData)" is Normal with health nodata', () => {
    expect(statuses.get('failed-logins')).toMatchObject({ state: 'Normal', health: 'nodata' });
  });

  it('maps recovering and ignores recording rules and unknown keys', () => {
    const json = JSON.parse(rulesFixture) as { data: { groups: { rules: Record<string, unknown>[] }[] } };
    const rules = json.data.groups[0]!.rules;
    rules[0]!.state = 'recovering';
    rules[0]!.someFutureField = { nested: true };
    rules.push({ name: 'a recording rule', uid: 'rec', health: 'ok', type: 'recording', query: 'x' });
    const parsed = parseRuleStatuses(json);
    expect(parsed.get(String(rules[0]!.uid))?.state).toBe('Recovering');
    expect(parsed.has('rec')).toBe(false);
  });

  it('rejects an error answer with its message', () => {
    expect(() => parseRuleStatuses({ status: 'error', errorType: 'bad_data', error: 'bad state' })).toThrow(
      /bad state/,
    );
    expect(() => parseRuleStatuses({ data: [] })).toThrow(/unexpected answer/);
  });
});

describe('GrafanaClient against a stand-in serving the fixtures', () => {
  it('reads rule statuses with basic auth', async () => {
    const client = new GrafanaClient(grafanaUrl, 'admin', 'secret');
    expect(await client.reachable()).toBe(true);
    expect((await client.ruleStatuses()).get('high-error-rate')?.state).toBe('Firing');
  });

  it('reports data source health: OK on 200, the message on 400, missing on 404', async () => {
    const client = new GrafanaClient(grafanaUrl, 'admin', 'secret');
    expect(await client.datasourceHealth('prometheus')).toEqual({
      ok: true,
      status: 'OK',
      message: 'Successfully queried the Prometheus API.',
    });
    expect(await client.datasourceHealth('loki')).toEqual({
      ok: false,
      status: 'ERROR',
      message: 'Unable to connect with Loki',
    });
    expect((await client.datasourceHealth('postgres')).ok).toBe(false);
  });

  it('says which credentials to fix when Grafana refuses them', async () => {
    const client = new GrafanaClient(grafanaUrl, 'admin', 'wrong');
    await expect(client.ruleStatuses()).rejects.toThrow(UsageError);
    await expect(client.ruleStatuses()).rejects.toThrow(/GRAFANA_PASSWORD/);
  });

  it('reports an unreachable Grafana as such', async () => {
    const client = new GrafanaClient('http://127.0.0.1:1', 'admin', 'secret');
    expect(await client.reachable()).toBe(false);
    await expect(client.ruleStatuses()).rejects.toThrow(UnreachableError);
  });
});
