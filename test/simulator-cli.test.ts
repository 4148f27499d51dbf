import { afterAll, describe, expect, inject, it } from 'vitest';
import { alertCatalog } from '../domain/alerts.ts';
import { serviceNames } from '../domain/services.ts';
import { cliEnv, unreachableUrl } from '../harness/cli-env.ts';
import { runCliInProcess } from '../harness/cli-in-process.ts';
import { runCli } from '../harness/cli-process.ts';
import { adminHeaders, sql } from './support/stack.ts';

const stack = inject('stack');
const env = cliEnv(stack);
const db = sql(stack);
const services = serviceNames;

afterAll(async () => {
  await runCliInProcess(['reset'], env);
  await db.end();
});

async function faultsOf(service: (typeof services)[number]): Promise<Record<string, number>> {
  const response = await fetch(`${stack.urls[service]}/admin/faults`, { headers: adminHeaders(stack) });
  return ((await response.json()) as { faults: Record<string, number> }).faults;
}

describe('shopfast-sim reset and status against the native stack', () => {
  it('reset clears faults, restores stock and clears failed logins, twice in a row', async () => {
    await fetch(`${stack.urls.payment}/admin/faults`, {
      method: 'PUT',
      headers: { ...adminHeaders(stack), 'content-type': 'application/json' },
      body: JSON.stringify({ gatewayFailureRate: 0.5, latencyMs: 10 }),
    });
    await db`UPDATE products SET stock = 1 WHERE sku = 'SF-1002'`;
    await db`INSERT INTO login_attempts (username, client_ip, success) VALUES ('x@example.com', '203.0.113.9', false)`;

    for (const attempt of [1, 2]) {
      const outcome = await runCliInProcess(['reset'], env);
      expect(outcome.code, `attempt ${attempt}: ${outcome.stderr}`).toBe(0);
      expect(outcome.stdout).toContain('✓ faults cleared on api, frontend, payment, inventory');
    }
    for (const service of services) {
      expect(
        Object.values(await faultsOf(service)).every((value) => value === 0),
        service,
      ).toBe(true);
    }
    const [product] = await db<{ stock: number; seed_stock: number }[]>`
      SELECT stock, seed_stock FROM products WHERE sku = 'SF-1002'`;
    expect(product!.stock).toBe(product!.seed_stock);
    const [failed] = await db<
      { failed_last_5m: number }[]
    >`SELECT failed_last_5m::int FROM alert_failed_logins`;
    expect(failed!.failed_last_5m).toBe(0);
  });

  it('status reports health, readiness, faults, stock and the alert states from the rule preview', async () => {
    await fetch(`${stack.urls.api}/admin/faults`, {
      method: 'PUT',
      headers: { ...adminHeaders(stack), 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 5, ttlSeconds: 120 }),
    });
    const json = await runCliInProcess(['status', '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const report = json.events[0] as {
      services: {
        service: string;
        reachable: boolean;
        readiness: { ready: boolean };
        faults: object;
        faultsExpireAt: Record<string, string>;
      }[];
      stock: { products: number };
      alertSource: string;
      alerts: { uid: string; state: string }[];
    };
    expect(report.services.map((s) => [s.service, s.reachable, s.readiness.ready])).toEqual(
      services.map((s) => [s, true, true]),
    );
    const api = report.services.find((s) => s.service === 'api');
    expect(api?.faults).toEqual({ latencyMs: 5 });
    const left = Date.parse(api?.faultsExpireAt.latencyMs ?? '') - Date.now();
    expect(left).toBeGreaterThan(100_000);
    expect(left).toBeLessThanOrEqual(120_000);
    expect(report.stock.products).toBeGreaterThanOrEqual(10);
    // No Grafana here: the states are the preview's, computed from the rule file.
    expect(report.alertSource).toBe('preview');
    expect(report.alerts.map((alert) => alert.uid).sort()).toEqual(
      alertCatalog.map((alert) => alert.uid).sort(),
    );

    const text = await runCliInProcess(['status'], env);
    expect(text.stdout).toMatch(/✓ api +healthy, ready · faults latencyMs=5 \(off in (1m [0-5]\d|2m 00)s\)/);
    expect(text.stdout).toMatch(
      /alerts +\(preview computed from the rule file, not Grafana's state \(Grafana not reachable at http:\/\/127\.0\.0\.1:9\)\)/,
    );
    expect(text.stdout).toMatch(/ {2}Failed logins +preview: (Normal|Pending|Firing)/);
    await runCliInProcess(['reset'], env);
  });

  it('status exits 3 and names the service when one is not reachable', async () => {
    const outcome = await runCliInProcess(
      ['status'],
      cliEnv(stack, { SHOPFAST_PAYMENT_URL: unreachableUrl }),
    );
    expect(outcome.code).toBe(3);
    expect(outcome.stdout).toMatch(/✗ payment +payment is not reachable at http:\/\/127\.0\.0\.1:9/);
  });

  // The one run as `npx shopfast-sim` runs it: the binary, as a process, its exit code the process's.
  it('check marks each line ✓ or ✗ with the fix, and exits 5 when Grafana is missing', async () => {
    const outcome = await runCli(['check'], env);
    expect(outcome.code).toBe(5);
    expect(outcome.stdout).toMatch(/✓ api ready at/);
    expect(outcome.stdout).toMatch(/✓ Prometheus scrapes 4\/4 services \(all up\)/);
    expect(outcome.stdout).toMatch(/✗ Grafana not reachable at http:\/\/127\.0\.0\.1:9 — start Grafana/);
  });

  it('reset stops with exit 2 when the services refuse the admin token', async () => {
    const outcome = await runCliInProcess(['reset'], cliEnv(stack, { ADMIN_TOKEN: 'wrong' }));
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/refused the admin token from ADMIN_TOKEN/);
  });
});
