import { describe, expect, it } from 'vitest';
import { alertByUid } from '../../domain/alerts.ts';
import { AlertWatch } from './watch.ts';
import { FakeAlertSource } from '../testing/fake-alert-source.ts';

const start = Date.parse('2026-12-01T10:00:00Z');
const at = (seconds: number) => start + seconds * 1000;

function watchFor(source: FakeAlertSource, uid: string, instances = alertByUid(uid)!.firesIn) {
  const alert = alertByUid(uid)!;
  const expected = Object.values(instances)[0] ?? [];
  return new AlertWatch(source, [{ alert, expectedSeconds: 30, instances: expected }], start);
}

describe('AlertWatch counts only what happens after it started', () => {
  it('does not count an alert already Firing at the start, however long it stays', async () => {
    const source = new FakeAlertSource().set('failed-logins', [
      { state: 'Alerting', activeSinceMs: at(-90) },
    ]);
    const watch = watchFor(source, 'failed-logins');
    await watch.poll(at(1));
    await watch.poll(at(3));
    expect(watch.alerts[0]).toMatchObject({ state: 'Firing' });
    expect(watch.alerts[0]!.firingAfterSeconds).toBeUndefined();
    expect(watch.firing(['failed-logins'])).toBe(false);
  });

  it('counts it once it has been seen Normal and fires again', async () => {
    const source = new FakeAlertSource().set('failed-logins', [
      { state: 'Alerting', activeSinceMs: at(-90) },
    ]);
    const watch = watchFor(source, 'failed-logins');
    await watch.poll(at(1));
    source.clear();
    await watch.poll(at(3));
    // Grafana's activeAt of the new episode: the evaluation at 10 s, between the polls at 9 and 11.
    await watch.poll(at(9));
    source.set('failed-logins', [{ state: 'Alerting', activeSinceMs: at(10) }]);
    await watch.poll(at(11));
    expect(watch.alerts[0]!.firingAfterSeconds).toBe(10);
    expect(watch.firing(['failed-logins'])).toBe(true);
  });

  it('counts an instance first seen active when it became active after the start', async () => {
    const source = new FakeAlertSource().set('failed-logins', [
      { state: 'Alerting', activeSinceMs: at(0.5) },
    ]);
    const watch = watchFor(source, 'failed-logins');
    await watch.poll(at(2));
    expect(watch.alerts[0]!.firingAfterSeconds).toBe(0.5);
  });

  it('does not count Firing that follows a Pending which began before the start', async () => {
    const source = new FakeAlertSource().set('high-cpu', [
      { labels: { service: 'api' }, state: 'Pending', activeSinceMs: at(-4) },
    ]);
    const watch = watchFor(source, 'high-cpu');
    await watch.poll(at(1));
    source.set('high-cpu', [{ labels: { service: 'api' }, state: 'Alerting', activeSinceMs: at(6) }]);
    await watch.poll(at(7));
    expect(watch.alerts[0]).toMatchObject({ state: 'Firing' });
    expect(watch.firing(['high-cpu'])).toBe(false);
  });

  it('without activeAt, times a transition by the poll that saw it', async () => {
    const source = new FakeAlertSource();
    const watch = watchFor(source, 'failed-logins');
    await watch.poll(at(2));
    source.set('failed-logins', [{ state: 'Alerting' }]);
    await watch.poll(at(4));
    expect(watch.alerts[0]!.firingAfterSeconds).toBe(4);
  });
});

describe('AlertWatch follows each expected instance', () => {
  it('times Pending and Firing per instance and knows when every expected one has fired', async () => {
    const source = new FakeAlertSource();
    const watch = watchFor(source, 'high-error-rate');
    expect(watch.alerts[0]!.instances.map((instance) => instance.labels)).toEqual([
      { service: 'payment' },
      { service: 'api' },
    ]);
    await watch.poll(at(2));
    source.set('high-error-rate', [
      { labels: { service: 'payment' }, state: 'Pending', activeSinceMs: at(10) },
    ]);
    await watch.poll(at(12));
    source.set('high-error-rate', [
      { labels: { service: 'payment' }, state: 'Alerting', activeSinceMs: at(20) },
      { labels: { service: 'api' }, state: 'Pending', activeSinceMs: at(20) },
    ]);
    await watch.poll(at(22));
    expect(watch.firing(['high-error-rate'])).toBe(true);
    expect(watch.everyInstanceFiring()).toBe(false);
    source.set('high-error-rate', [
      { labels: { service: 'payment' }, state: 'Alerting', activeSinceMs: at(20) },
      { labels: { service: 'api' }, state: 'Alerting', activeSinceMs: at(30) },
    ]);
    await watch.poll(at(32));
    expect(watch.everyInstanceFiring()).toBe(true);
    expect(watch.alerts[0]!.instances).toEqual([
      { labels: { service: 'payment' }, state: 'Firing', pendingAfterSeconds: 10, firingAfterSeconds: 20 },
      { labels: { service: 'api' }, state: 'Firing', pendingAfterSeconds: 20, firingAfterSeconds: 30 },
    ]);
    expect(watch.unexpected).toEqual([]);
  });

  it('records an instance or a rule that leaves Normal unexpectedly, once, at its worst state', async () => {
    const source = new FakeAlertSource();
    const watch = watchFor(source, 'high-error-rate');
    await watch.poll(at(2));
    source
      .set('high-error-rate', [{ labels: { service: 'frontend' }, state: 'Pending', activeSinceMs: at(10) }])
      .set('failed-logins', [{ state: 'Error', activeSinceMs: at(10) }]);
    await watch.poll(at(12));
    source.set('high-error-rate', [
      { labels: { service: 'frontend' }, state: 'Alerting', activeSinceMs: at(20) },
    ]);
    await watch.poll(at(22));
    expect(watch.unexpected).toEqual([
      {
        uid: 'high-error-rate',
        title: 'High error rate',
        labels: { service: 'frontend' },
        state: 'Firing',
        atSeconds: 10,
      },
      { uid: 'failed-logins', title: 'Failed logins', labels: {}, state: 'Error', atSeconds: 10 },
    ]);
  });

  it('reports an unreachable source and records nothing from it', async () => {
    const source = new FakeAlertSource();
    source.failing = true;
    const watch = watchFor(source, 'failed-logins');
    expect((await watch.poll(at(2))).changes).toEqual([]);
    expect(watch.sourceReachable).toBe(false);
    expect(watch.alerts[0]!.state).toBe('Unknown');
  });
});
