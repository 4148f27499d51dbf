import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { cliEnv } from '../harness/cli-env.ts';
import { runCliInProcess } from '../harness/cli-in-process.ts';
import { adminHeaders, sql } from './support/stack.ts';

// --until-firing and trigger against a Grafana stand-in that answers the rules API in Grafana 12's
// shape (simulator/fixtures) and evaluates the failed-logins rule on the real database: it fires
// when the alert's own view counts 5 or more failed logins. Every other rule stays Normal.

const stack = inject('stack');
const db = sql(stack);
const rulesFixture = readFileSync(
  new URL('../simulator/fixtures/prometheus-rules-response.json', import.meta.url),
  'utf8',
);
let grafana: Server;
let env: NodeJS.ProcessEnv;

interface FixtureRule {
  uid: string;
  state: string;
  alerts?: { state: string }[];
}

async function rulesNow(): Promise<string> {
  const [row] = await db<{ n: number }[]>`SELECT failed_last_5m::int AS n FROM alert_failed_logins`;
  const failedLoginsFiring = row!.n > 4;
  const document = JSON.parse(rulesFixture) as { data: { groups: { rules: FixtureRule[] }[] } };
  for (const rule of document.data.groups.flatMap((group) => group.rules)) {
    const firing = rule.uid === 'failed-logins' && failedLoginsFiring;
    rule.state = firing ? 'firing' : 'inactive';
    rule.alerts = (rule.alerts ?? []).map((alert) => ({ ...alert, state: firing ? 'Alerting' : 'Normal' }));
  }
  return JSON.stringify(document);
}

beforeAll(async () => {
  grafana = createServer((req, res) => {
    const send = (body: string) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (req.url === '/api/health') return send('{"database":"ok","version":"12.2.0"}');
    if (req.url === '/api/prometheus/grafana/api/v1/rules') {
      return void rulesNow().then(send, () => {
        res.writeHead(500);
        res.end();
      });
    }
    res.writeHead(404);
    res.end('{}');
  });
  await new Promise<void>((resolve) => grafana.listen(0, '127.0.0.1', resolve));
  env = cliEnv(stack, { GRAFANA_URL: `http://127.0.0.1:${(grafana.address() as AddressInfo).port}` });
});

beforeEach(async () => {
  expect((await runCliInProcess(['reset'], env)).code).toBe(0);
});

afterAll(async () => {
  await runCliInProcess(['reset'], env);
  await new Promise((resolve) => grafana.close(resolve));
  await db.end();
});

describe('waiting for alerts in Grafana', { timeout: 60_000 }, () => {
  it('trigger failed-logins stops as soon as Grafana shows it firing', async () => {
    const outcome = await runCliInProcess(
      ['trigger', 'failed-logins', '--timeout', '45', '--json', '--seed', '3'],
      env,
    );
    expect(outcome.code, outcome.stderr).toBe(0);
    const firing = outcome.events.find((event) => event.type === 'alert' && event.state === 'Firing');
    expect(firing).toMatchObject({ uid: 'failed-logins', title: 'Failed logins' });
    const summary = outcome.events.find((event) => event.type === 'part-summary') as {
      stopReason: string;
      elapsedSeconds: number;
      alerts: { uid: string; firingAfterSeconds?: number }[];
    };
    expect(summary.stopReason).toBe('stopped');
    // security-breach runs 60 s as written; it ends early because the alert fired.
    expect(summary.elapsedSeconds).toBeLessThan(30);
    expect(summary.alerts).toEqual([expect.objectContaining({ uid: 'failed-logins', state: 'Firing' })]);
    expect(summary.alerts[0]!.firingAfterSeconds).toBeGreaterThan(0);
  });

  // --no-wait on an alert already active is proven end to end in simulator-trigger.test.ts.
  it('does not count an alert Grafana already shows Firing: a wait for Normal times out with 6', async () => {
    // Five failed logins from an earlier attack: Grafana shows failed-logins Firing since long ago.
    await db`INSERT INTO login_attempts (username, client_ip, success)
      SELECT 'old@example.com', '203.0.113.99', false FROM generate_series(1, 5)`;
    const waited = await runCliInProcess(['trigger', 'failed-logins', '--timeout', '3', '--json'], env);
    expect(waited.code).toBe(6);
    expect(waited.events.find((event) => event.type === 'waiting')).toMatchObject({
      alertSource: 'grafana',
      active: [expect.objectContaining({ uid: 'failed-logins', state: 'Firing' })],
    });
    expect(waited.events.at(-1)?.message).toMatch(/still not Normal after 3 s: failed-logins Firing/);
  });

  it('exits 4 when the alert does not fire before --timeout, with the faults undone', async () => {
    const started = Date.now();
    const outcome = await runCliInProcess(['trigger', 'high-cpu', '--timeout', '6', '--json'], env);
    expect(outcome.code).toBe(4);
    expect(Date.now() - started).toBeLessThan(20_000);
    const note = outcome.events.find((event) => event.type === 'note');
    expect(note?.message).toMatch(/not firing after 6 s: high-cpu/);
    const response = await fetch(`${stack.urls.api}/admin/faults`, { headers: adminHeaders(stack) });
    const { faults } = (await response.json()) as { faults: Record<string, number> };
    expect(Object.values(faults).every((value) => value === 0)).toBe(true);
  });

  it('shows the expected alerts’ states while a scenario runs', async () => {
    const outcome = await runCliInProcess(['run', 'payment-failures', '--duration', '4', '--json'], env);
    expect(outcome.code, outcome.stderr).toBe(0);
    const progress = outcome.events.filter((event) => event.type === 'progress');
    const last = progress[progress.length - 1] as { alerts: { uid: string; state: string }[] | null };
    expect(last.alerts?.map((alert) => [alert.uid, alert.state]).sort()).toEqual([
      ['high-error-rate', 'Normal'],
      ['payment-failures', 'Normal'],
    ]);
  });
});
