import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { cliEnv } from '../harness/cli-env.ts';
import { runCliInProcess } from '../harness/cli-in-process.ts';
import { startGrafanaStandIn, type GrafanaStandIn } from './support/grafana-stand-in.ts';
import { adminHeaders, sql } from './support/stack.ts';

// --until-firing and trigger against a Grafana stand-in that answers the rules API in Grafana 12's
// shape (simulator/fixtures) and evaluates the failed-logins rule on the real database: it fires
// when the alert's own view counts 5 or more failed logins. Every other rule stays Normal.

const stack = inject('stack');
const db = sql(stack);
let grafana: GrafanaStandIn;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  grafana = await startGrafanaStandIn(async (uid) => {
    if (uid !== 'failed-logins') return 'inactive';
    const [row] = await db<{ n: number }[]>`SELECT failed_last_5m::int AS n FROM alert_failed_logins`;
    return row!.n > 4 ? 'firing' : 'inactive';
  });
  env = cliEnv(stack, { GRAFANA_URL: grafana.url });
});

beforeEach(async () => {
  expect((await runCliInProcess(['reset'], env)).code).toBe(0);
});

afterAll(async () => {
  await runCliInProcess(['reset'], env);
  await grafana.close();
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

  it('does not count an alert Grafana already shows Firing: --no-wait exits 6, trigger clears it first', async () => {
    // Five failed logins from an earlier attack: Grafana shows failed-logins Firing since long ago.
    await db`INSERT INTO login_attempts (username, client_ip, success)
      SELECT 'old@example.com', '203.0.113.99', false FROM generate_series(1, 5)`;
    const noWait = await runCliInProcess(['trigger', 'failed-logins', '--no-wait', '--json'], env);
    expect(noWait.code).toBe(6);
    expect(noWait.events.find((event) => event.type === 'note')?.message).toMatch(
      /^failed-logins is Firing already, before the scenario starts: stopping \(--no-wait\)/,
    );
    expect(noWait.events.some((event) => event.type === 'start')).toBe(false);

    const again = await runCliInProcess(
      ['trigger', 'failed-logins', '--timeout', '45', '--json', '--seed', '5'],
      env,
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.events[0]).toMatchObject({
      type: 'refire',
      alertSource: 'grafana',
      cleared: 'failed-login streak cleared (5 attempts)',
    });
    const types = again.events.map((event) => event.type);
    expect(types.indexOf('normal')).toBeGreaterThan(0);
    expect(types.indexOf('start')).toBeGreaterThan(types.indexOf('normal'));
    expect(again.events.find((event) => event.type === 'alert' && event.state === 'Firing')).toMatchObject({
      uid: 'failed-logins',
    });
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
