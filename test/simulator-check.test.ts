import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { alertByUid } from '../domain/alerts.ts';
import { exitCodes } from '../simulator/errors.ts';
import { cliEnv } from '../harness/cli-env.ts';
import { runCliInProcess } from '../harness/cli-in-process.ts';
import {
  startGrafanaStandIn,
  type GrafanaStandIn,
  type StandInRuleState,
} from './support/grafana-stand-in.ts';
import { sql } from './support/stack.ts';

// `check` on the native stack with a Grafana stand-in whose failed-logins state the test sets:
// the shop's real signals (here the failed-login streak, read from the api) tell an alert still
// held up (exit 5) from one that is only resolving (exit 8), and --wait waits for the latter.

const stack = inject('stack');
const env = cliEnv(stack);
const db = sql(stack);
let grafana: GrafanaStandIn;
let failedLogins: StandInRuleState = 'inactive';
const resolveSeconds = alertByUid('failed-logins')!.expectedSecondsToResolve;

beforeAll(async () => {
  grafana = await startGrafanaStandIn((uid) => (uid === 'failed-logins' ? failedLogins : 'inactive'));
});

beforeEach(async () => {
  failedLogins = 'inactive';
  expect((await runCliInProcess(['reset'], env)).code).toBe(0);
});

afterAll(async () => {
  await runCliInProcess(['reset'], env);
  await grafana.close();
  await db.end();
});

const check = (args: string[] = []) =>
  runCliInProcess(['check', ...args], cliEnv(stack, { GRAFANA_URL: grafana.url }));

describe('shopfast-sim check', { timeout: 60_000 }, () => {
  it('is ready (exit 0) when every part answers and every rule is Normal', async () => {
    const outcome = await check();
    expect(outcome.code, outcome.stdout).toBe(exitCodes.ok);
    expect(outcome.stdout).toContain('✓ no alert firing or pending\n');
    expect(outcome.stdout).toMatch(/Ready for the demo\.\n$/);
  });

  it('tells an alert its signal still holds up (exit 5) from one still resolving after reset (exit 8)', async () => {
    failedLogins = 'firing';
    await db`INSERT INTO login_attempts (username, client_ip, success)
      SELECT 'check@example.com', '203.0.113.77', false FROM generate_series(1, 6)`;
    const held = await check();
    expect(held.code).toBe(exitCodes.checkFailed);
    expect(held.stdout).toContain(
      '✗ failed-logins Firing: 6 failed logins in the last 5 minutes — shopfast-sim reset clears the failed-login streak; then shopfast-sim check --wait',
    );

    expect((await runCliInProcess(['reset'], env)).code).toBe(0);
    const resolving = await check();
    expect(resolving.code).toBe(exitCodes.resolving);
    expect(resolving.stdout).toContain(
      `⋯ failed-logins Firing: still resolving (≈ ${resolveSeconds} s left), nothing holds it up any more`,
    );
    expect(resolving.stdout).toMatch(/Still resolving: every alert Normal in ≈ \d+ s at most/);
  });

  it('--wait waits until every rule is Normal (exit 0), or gives up at --timeout with exit 8', async () => {
    failedLogins = 'firing';
    const gaveUp = await check(['--wait', '--timeout', '1']);
    expect(gaveUp.code).toBe(exitCodes.resolving);
    expect(gaveUp.stdout).toMatch(/waiting for Normal while they resolve/);

    setTimeout(() => (failedLogins = 'inactive'), 3_000);
    const waited = await check(['--wait', '--timeout', '30']);
    expect(waited.code, waited.stdout).toBe(exitCodes.ok);
    expect(waited.stdout).toMatch(/every rule Normal \(while they resolve\), waited 0:0\d/);
    expect(waited.stdout).toMatch(/✓ no alert firing or pending\nReady for the demo\.\n$/);
  });

  it('without Grafana reads the rule preview, and fails on the missing Grafana', async () => {
    const outcome = await runCliInProcess(['check'], env);
    expect(outcome.code).toBe(exitCodes.checkFailed);
    expect(outcome.stdout).toContain('✗ Grafana not reachable');
    // Earlier files' scenarios may leave a rate or log window still draining: any preview line will do.
    expect(outcome.stdout).toMatch(/^[✓⋯✗] preview: /m);
  });
});
