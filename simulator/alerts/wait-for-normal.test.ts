import { describe, expect, it } from 'vitest';
import { FakeAlertSource } from '../testing/fake-alert-source.ts';
import { waitUntilNormal } from './wait-for-normal.ts';
import { activeRules } from './instances.ts';

/** A clock that moves only when the wait pauses, so the tests take no time. */
function fakeClock() {
  let nowMs = 0;
  return {
    now: () => nowMs,
    pause: async (ms: number) => {
      nowMs += ms;
    },
  };
}

describe('activeRules', () => {
  it('names the rules that are not Normal with their active instances', async () => {
    const source = new FakeAlertSource().set('high-error-rate', [
      { labels: { service: 'payment', alertname: 'High error rate' }, state: 'Alerting', activeSinceMs: 5 },
      { labels: { service: 'api' }, state: 'Pending', activeSinceMs: 9 },
    ]);
    expect(activeRules(await source.ruleStatuses())).toEqual([
      {
        uid: 'high-error-rate',
        title: 'High error rate',
        state: 'Firing',
        instances: ['service=payment Firing', 'service=api Pending'],
        activeSinceMs: 5,
      },
    ]);
    expect(activeRules(await source.ruleStatuses(), ['failed-logins'])).toEqual([]);
  });
});

describe('waitUntilNormal', () => {
  it('returns once every rule is Normal, reporting each poll', async () => {
    const source = new FakeAlertSource().set('failed-logins', [{ state: 'Alerting' }]);
    const seen: string[][] = [];
    const result = await waitUntilNormal({
      source,
      timeoutSeconds: 60,
      ...fakeClock(),
      onPoll: ({ active, elapsedSeconds }) => {
        seen.push(active.map((rule) => rule.uid));
        if (elapsedSeconds >= 4) source.clear();
      },
    });
    expect(result).toEqual({ normal: true, interrupted: false, elapsedSeconds: 6, active: [] });
    expect(seen).toEqual([['failed-logins'], ['failed-logins'], ['failed-logins'], []]);
  });

  it('gives up after the timeout with the rules still active', async () => {
    const source = new FakeAlertSource().set('low-inventory', [
      { labels: { sku: 'SF-1004' }, state: 'Alerting' },
    ]);
    const result = await waitUntilNormal({ source, timeoutSeconds: 10, ...fakeClock() });
    expect(result.normal).toBe(false);
    expect(result.elapsedSeconds).toBe(10);
    expect(result.active.map((rule) => rule.instances)).toEqual([['sku=SF-1004 Firing']]);
  });

  it('waits only for the rules asked for', async () => {
    const source = new FakeAlertSource().set('low-inventory', [
      { labels: { sku: 'SF-1004' }, state: 'Alerting' },
    ]);
    const result = await waitUntilNormal({
      source,
      uids: ['failed-logins'],
      timeoutSeconds: 10,
      ...fakeClock(),
    });
    expect(result).toMatchObject({ normal: true, elapsedSeconds: 0 });
    expect(source.polls).toBe(1);
  });

  it('stops when the signal fires', async () => {
    const source = new FakeAlertSource().set('failed-logins', [{ state: 'Alerting' }]);
    const stop = new AbortController();
    const clock = fakeClock();
    const result = await waitUntilNormal({
      source,
      timeoutSeconds: 60,
      signal: stop.signal,
      now: clock.now,
      pause: async (ms) => {
        await clock.pause(ms);
        stop.abort();
      },
    });
    expect(result).toMatchObject({ normal: false, interrupted: true, elapsedSeconds: 2 });
  });
});
