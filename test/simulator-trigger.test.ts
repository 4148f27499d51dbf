import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cliEnv } from '../harness/cli-env.ts';
import { runCliInProcess } from '../harness/cli-in-process.ts';
import type { CliOutcome } from '../harness/cli-output.ts';
import { spawnCli } from '../harness/cli-process.ts';

// The alert lifecycle on the native stack, where the alert states come from the rule preview:
// trigger fires failed-logins; a second trigger finds it still Firing and waits until it is
// Normal again (here: after `reset`), then fires it anew; --no-wait stops with exit 6 instead.

const stack = inject('stack');
const env = cliEnv(stack);

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
  it('fires, then waits for Normal before firing again; --no-wait exits 6', async () => {
    const first = await runCliInProcess(
      ['trigger', 'failed-logins', '--timeout', '60', '--json', '--seed', '3'],
      env,
    );
    expect(first.code, first.stderr).toBe(0);
    expect(eventsOf(first, 'start')[0]).toMatchObject({
      scenario: 'security-breach',
      alertSource: 'preview',
    });
    expect(eventsOf(first, 'waiting')).toEqual([]);
    expect(firedAfter(first)).toBeGreaterThan(0);

    // Still Firing: the failed-login streak counts for 5 minutes.
    const noWait = await runCliInProcess(['trigger', 'failed-logins', '--no-wait', '--json'], env);
    expect(noWait.code).toBe(6);
    expect(eventsOf(noWait, 'note')[0]).toMatchObject({
      message: expect.stringMatching(/^failed-logins is Firing \(preview\) already.*--no-wait/),
    });
    expect(eventsOf(noWait, 'start')).toEqual([]);

    // The binary, as a process: the second trigger runs while `reset` runs beside it.
    const second = spawnCli(
      ['trigger', 'failed-logins', '--timeout', '60', '--json', '--seed', '4'],
      env,
      150_000,
    );
    const waiting = await second.waitForEvent((event) => event.type === 'waiting', 20_000);
    expect(waiting).toMatchObject({
      reason: 'before the scenario',
      alertSource: 'preview',
      active: [expect.objectContaining({ uid: 'failed-logins', state: 'Firing' })],
    });
    const reset = await runCliInProcess(['reset'], env);
    expect(reset.code, reset.stderr).toBe(0);
    const outcome = await second.exited;
    expect(outcome.code, outcome.stderr).toBe(0);
    const types = outcome.events.map((event) => event.type);
    // Normal first, then the scenario, then a Firing seen during it.
    expect(types.indexOf('normal')).toBeGreaterThan(types.indexOf('waiting'));
    expect(types.indexOf('start')).toBeGreaterThan(types.indexOf('normal'));
    expect(eventsOf(outcome, 'note')[0]).toMatchObject({
      message: expect.stringMatching(/failed-logins is Firing \(preview\) already: waiting/),
    });
    expect(firedAfter(outcome)).toBeGreaterThan(0);
    expect(outcome.events.find((event) => event.type === 'alert' && event.state === 'Firing')).toMatchObject({
      uid: 'failed-logins',
    });
  });

  it('reset --wait returns once the preview shows every rule Normal', async () => {
    const outcome = await runCliInProcess(['reset', '--wait', '--timeout', '60'], env);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toMatch(/preview: every rule Normal \(after reset\), waited \d+:\d\d/);
  });
});
