import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { alertByUid } from '../domain/alerts.ts';
import { cliEnv } from '../harness/cli-env.ts';
import { runCliInProcess } from '../harness/cli-in-process.ts';
import type { CliOutcome } from '../harness/cli-output.ts';

// The alert lifecycle on the native stack, where the alert states come from the rule preview:
// trigger fires failed-logins; a second trigger right after finds it still Firing (the streak
// counts for 5 minutes), clears the streak itself, waits for Normal and fires it anew.

const stack = inject('stack');
const env = cliEnv(stack);
const failedLogins = alertByUid('failed-logins')!;

const eventsOf = (outcome: CliOutcome, type: string) => outcome.events.filter((event) => event.type === type);

function firedAfter(outcome: CliOutcome): number | undefined {
  const summary = eventsOf(outcome, 'part-summary')[0] as
    { alerts: { uid: string; firingAfterSeconds?: number }[] } | undefined;
  return summary?.alerts.find((alert) => alert.uid === 'failed-logins')?.firingAfterSeconds;
}

beforeAll(async () => {
  const reset = await runCliInProcess(['reset', '--wait', '--timeout', '60'], env);
  expect(reset.code, reset.stderr).toBe(0);
});

afterAll(async () => {
  await runCliInProcess(['reset'], env);
});

describe('trigger twice in a row against the rule preview', { timeout: 180_000 }, () => {
  it('fires both times: the second clears the failed-login streak, waits for Normal, fires anew', async () => {
    const first = await runCliInProcess(
      ['trigger', 'failed-logins', '--timeout', '60', '--json', '--seed', '3'],
      env,
    );
    expect(first.code, first.stderr).toBe(0);
    expect(eventsOf(first, 'start')[0]).toMatchObject({
      scenario: 'security-breach',
      alertSource: 'preview',
    });
    expect(eventsOf(first, 'refire')).toEqual([]);
    expect(firedAfter(first)).toBeGreaterThan(0);

    // --no-wait still stops at once while it is Firing, and clears nothing.
    const noWait = await runCliInProcess(['trigger', 'failed-logins', '--no-wait', '--json'], env);
    expect(noWait.code).toBe(6);
    expect(eventsOf(noWait, 'note')[0]).toMatchObject({
      message: expect.stringMatching(/^failed-logins is Firing \(preview\) already.*--no-wait/),
    });
    expect(eventsOf(noWait, 'refire')).toEqual([]);

    const started = Date.now();
    const second = await runCliInProcess(
      ['trigger', 'failed-logins', '--timeout', '60', '--json', '--seed', '4'],
      env,
    );
    const seconds = (Date.now() - started) / 1000;
    expect(second.code, second.stderr).toBe(0);
    const [refire] = eventsOf(second, 'refire');
    expect(refire).toMatchObject({
      uid: 'failed-logins',
      state: 'Firing',
      alertSource: 'preview',
      scenario: 'security-breach',
      cleared: expect.stringMatching(/^failed-login streak cleared \([1-9]\d* attempts\)$/),
      resolveSeconds: failedLogins.expectedSecondsToResolve,
    });
    const types = second.events.map((event) => event.type);
    // Cleared and said so first, then Normal, then the scenario, then a Firing seen during it.
    expect(types.indexOf('refire')).toBe(0);
    expect(types.indexOf('normal')).toBeGreaterThan(types.indexOf('refire'));
    expect(types.indexOf('start')).toBeGreaterThan(types.indexOf('normal'));
    expect(firedAfter(second)).toBeGreaterThan(0);
    // The time announced up front is the catalog's worst case; the preview's 10 s ticks may add one.
    const announced = (refire as { totalSeconds: number }).totalSeconds;
    expect(seconds).toBeLessThan(announced + 10);
    console.log(`[trigger twice] second trigger: ${seconds.toFixed(1)} s (announced ~${announced} s)`);
  });

  it('reset --wait returns once the preview shows every rule Normal', async () => {
    const outcome = await runCliInProcess(['reset', '--wait', '--timeout', '60'], env);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toMatch(/preview: every rule Normal \(after reset\), waited \d+:\d\d/);
  });
});
