import { describe, expect, it } from 'vitest';
import type { Reporter } from '../display/reporter.ts';
import { exitCodes } from '../errors.ts';
import type { RunEvent } from '../run/events.ts';
import { FakeAlertSource } from '../testing/fake-alert-source.ts';
import { normalFirst } from './normal-first.ts';

/** A reporter that keeps what it was told. */
function recorder(onEvent: (event: RunEvent) => void = () => {}) {
  const notes: string[] = [];
  const events: RunEvent[] = [];
  const reporter: Reporter = {
    onEvent: (event) => {
      events.push(event);
      onEvent(event);
    },
    note: (message) => notes.push(message),
    close: () => {},
  };
  return { reporter, notes, events };
}

const options = {
  uids: ['failed-logins'],
  timeoutSeconds: 30,
  signal: new AbortController().signal,
  pollMs: 1,
};

describe('trigger and run --until-firing start only from Normal', () => {
  it('start at once when the alert is Normal', async () => {
    const source = new FakeAlertSource();
    const { reporter, notes } = recorder();
    expect(await normalFirst({ ...options, source, wait: true, reporter })).toBeUndefined();
    expect(notes).toEqual([]);
    expect(source.polls).toBe(1);
  });

  it('say the alert is already Firing, wait until it is Normal, then start', async () => {
    const source = new FakeAlertSource().set('failed-logins', [{ state: 'Alerting', activeSinceMs: 1 }]);
    // Someone runs `shopfast-sim reset` while the command waits.
    const { reporter, notes, events } = recorder((event) => {
      if (event.type === 'waiting' && source.polls === 3) source.clear();
    });
    expect(await normalFirst({ ...options, source, wait: true, reporter })).toBeUndefined();
    expect(notes[0]).toMatch(/^failed-logins is Firing already: waiting for it to return to Normal first/);
    expect(notes[1]).toMatch(/failed-logins returns to Normal after `shopfast-sim reset`/);
    expect(events.map((event) => event.type)).toEqual(['waiting', 'waiting', 'normal']);
    expect(source.polls).toBe(4);
  });

  it("trigger: clear the alert's signal first instead of saying only reset helps, then wait for Normal", async () => {
    const source = new FakeAlertSource('preview').set('failed-logins', [{ state: 'Alerting' }]);
    const { reporter, notes, events } = recorder();
    const cleared: string[][] = [];
    const clearFirst = (active: { uid: string }[]) => {
      cleared.push(active.map((rule) => rule.uid));
      source.clear();
      return Promise.resolve();
    };
    expect(await normalFirst({ ...options, source, wait: true, reporter, clearFirst })).toBeUndefined();
    expect(cleared).toEqual([['failed-logins']]);
    expect(notes).toEqual([]);
    expect(events.map((event) => event.type)).toEqual(['normal']);
  });

  it('with --no-wait, stop with exit code 6 and say why, without waiting', async () => {
    const source = new FakeAlertSource('preview').set('failed-logins', [{ state: 'Pending' }]);
    const { reporter, notes, events } = recorder();
    expect(await normalFirst({ ...options, source, wait: false, reporter })).toBe(exitCodes.notNormal);
    expect(exitCodes.notNormal).toBe(6);
    expect(notes).toEqual([
      'failed-logins is Pending (preview) already, before the scenario starts: stopping (--no-wait). `shopfast-sim reset --wait` brings every alert back to Normal.',
    ]);
    expect(events).toEqual([]);
  });

  it('exit 6 when the alert is still active after the timeout', async () => {
    const source = new FakeAlertSource().set('failed-logins', [{ state: 'Alerting' }]);
    const { reporter, notes } = recorder();
    const outcome = await normalFirst({ ...options, timeoutSeconds: 0, source, wait: true, reporter });
    expect(outcome).toBe(exitCodes.notNormal);
    expect(notes.at(-1)).toBe('still not Normal after 0 s: failed-logins Firing (run shopfast-sim reset)');
  });

  it('ignore other alerts that are active', async () => {
    const source = new FakeAlertSource().set('high-cpu', [{ labels: { service: 'api' }, state: 'Alerting' }]);
    const { reporter } = recorder();
    expect(await normalFirst({ ...options, source, wait: false, reporter })).toBeUndefined();
  });
});
