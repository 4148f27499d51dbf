import { afterAll, describe, expect, inject, it } from 'vitest';
import { alertCatalog } from '../domain/alerts.ts';
import { serviceNames } from '../domain/services.ts';
import { cliEnv, runCli, unreachableUrl } from '../harness/cli-process.ts';
import { adminHeaders, sql } from './support/stack.ts';

const stack = inject('stack');
const env = cliEnv(stack);
const db = sql(stack);
const services = serviceNames;

afterAll(async () => {
  await runCli(['reset'], env);
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
      const outcome = await runCli(['reset'], env);
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
    const json = await runCli(['status', '--json'], env);
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

    const text = await runCli(['status'], env);
    expect(text.stdout).toMatch(/✓ api +healthy, ready · faults latencyMs=5 \(off in 1m [0-5]\ds\)/);
    expect(text.stdout).toMatch(
      /alerts +\(preview computed from the rule file, not Grafana's state \(Grafana not reachable at http:\/\/127\.0\.0\.1:9\)\)/,
    );
    expect(text.stdout).toMatch(/ {2}Failed logins +preview: (Normal|Pending|Firing)/);
    await runCli(['reset'], env);
  });

  it('status exits 3 and names the service when one is not reachable', async () => {
    const outcome = await runCli(['status'], cliEnv(stack, { SHOPFAST_PAYMENT_URL: unreachableUrl }));
    expect(outcome.code).toBe(3);
    expect(outcome.stdout).toMatch(/✗ payment +payment is not reachable at http:\/\/127\.0\.0\.1:9/);
  });

  it('check marks each line ✓ or ✗ with the fix, and exits 5 when Grafana is missing', async () => {
    const outcome = await runCli(['check'], env);
    expect(outcome.code).toBe(5);
    expect(outcome.stdout).toMatch(/✓ api ready at/);
    expect(outcome.stdout).toMatch(/✓ Prometheus scrapes 4\/4 services \(all up\)/);
    expect(outcome.stdout).toMatch(/✗ Grafana not reachable at http:\/\/127\.0\.0\.1:9 — start Grafana/);
  });
});

describe('shopfast-sim rejects bad arguments with a clear message and the documented exit code', () => {
  const cases: { args: string[]; env?: Record<string, string | undefined>; code: number; message: RegExp }[] =
    [
      {
        args: ['run', 'nope'],
        code: 2,
        message: /unknown scenario "nope": choose one of normal, flash-sale/,
      },
      { args: ['trigger', 'nope'], code: 2, message: /unknown alert "nope": choose one of high-cpu/ },
      {
        args: ['run', 'normal', '--duration', '0'],
        code: 2,
        message: /--duration.*whole number from 1 to 3600/,
      },
      { args: ['run', 'normal', '--duration', '1.5'], code: 2, message: /whole number/ },
      { args: ['run', 'normal', '--rate', 'fast'], code: 2, message: /--rate.*above 0 and at most 20/ },
      { args: ['run', 'normal', '--rate', '-1'], code: 2, message: /--rate/ },
      { args: ['run', 'normal', '--seed', 'x'], code: 2, message: /seed: a whole number/ },
      { args: ['run'], code: 2, message: /missing required argument 'scenario'/ },
      { args: ['fly'], code: 2, message: /unknown command 'fly'/ },
      {
        args: ['status', '--api-url', 'not a url'],
        code: 2,
        message: /the api URL "not a url" is not a URL/,
      },
      { args: ['status', '--grafana-url', 'ftp://x'], code: 2, message: /must start with http/ },
      {
        args: ['reset'],
        env: { ADMIN_TOKEN: undefined },
        code: 2,
        message: /no admin token: set ADMIN_TOKEN/,
      },
      {
        args: ['reset'],
        env: { ADMIN_TOKEN: 'wrong' },
        code: 2,
        message: /refused the admin token from ADMIN_TOKEN/,
      },
      {
        args: ['run', 'payment-failures', '--duration', '5'],
        env: { ADMIN_TOKEN: undefined },
        code: 2,
        message: /payment-failures sets faults: set ADMIN_TOKEN/,
      },
      {
        args: ['run', 'normal', '--duration', '5'],
        env: { SHOPFAST_API_URL: unreachableUrl },
        code: 3,
        message: /api is not reachable at http:\/\/127\.0\.0\.1:9/,
      },
      {
        args: ['reset', '--wait', '--timeout', '0'],
        code: 2,
        message: /--timeout.*whole number from 1 to 3600/,
      },
      { args: ['rehearse', '--seed', '-3'], code: 2, message: /seed: a whole number/ },
      {
        args: ['rehearse'],
        env: { ADMIN_TOKEN: undefined },
        code: 2,
        message: /rehearse sets faults and resets: set ADMIN_TOKEN/,
      },
      {
        args: ['status', '--database-url', 'mysql://root:pw@db/x'],
        code: 2,
        message: /the database URL is not a PostgreSQL URL/,
      },
    ];

  const describeCase = (c: (typeof cases)[number]) =>
    [
      ...c.args,
      ...Object.entries(c.env ?? {}).map(
        ([name, value]) => `(${name} ${value === undefined ? 'unset' : value})`,
      ),
    ].join(' ');

  it.each(cases.map((c) => ({ ...c, line: describeCase(c) })))(
    '$line → exit $code',
    async ({ args, env: overrides, code, message }) => {
      const outcome = await runCli(args, cliEnv(stack, overrides ?? {}));
      expect(outcome.code).toBe(code);
      expect(outcome.stderr).toMatch(message);
    },
  );

  it('documents the exit codes in --help', async () => {
    const outcome = await runCli(['--help'], env);
    expect(outcome.code).toBe(0);
    for (const line of [
      '2    usage error',
      '3    a target',
      '4    --until-firing',
      '6    not Normal',
      '7    rehearse:',
      '130  stopped by Ctrl-C',
      'DATABASE_URL',
      'never Grafana',
    ]) {
      expect(outcome.stdout).toContain(line);
    }
  });
});
