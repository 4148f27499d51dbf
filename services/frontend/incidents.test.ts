import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { grafanaWebhookPayload, type GrafanaAlert } from './grafana-webhook.ts';
import { IncidentStore } from './incidents.ts';

const firing = grafanaWebhookPayload.parse(
  JSON.parse(readFileSync(new URL('./fixtures/webhook-firing.json', import.meta.url), 'utf8')),
);

function alert(fingerprint: string, overrides: Partial<GrafanaAlert> = {}): GrafanaAlert {
  return { ...firing.alerts[0]!, fingerprint, ...overrides };
}

describe('IncidentStore', () => {
  it('opens incidents from firing alerts with name, service, severity, summary, since and value', () => {
    const store = new IncidentStore();
    store.apply(firing.alerts);
    const [api] = store.list().filter((i) => i.service === 'api');
    expect(api).toMatchObject({
      fingerprint: '7d3f0c2a9b1e4c56',
      alertName: 'High error rate',
      severity: 'critical',
      summary: 'Error rate above 5% on api',
      status: 'firing',
      value: 'B = 0.1842',
      resolvedAt: undefined,
    });
    expect(api!.since.toISOString()).toBe('2026-11-22T10:15:20.000Z');
    expect(store.firing()).toHaveLength(2);
  });

  it("keeps the alert's labels, which tell its instance, without the private __…__ ones", () => {
    const store = new IncidentStore();
    store.apply([
      alert('f1', {
        labels: { alertname: 'Low inventory', sku: 'SF-1004', __alert_rule_uid__: 'low-inventory' },
      }),
    ]);
    expect(store.list()[0]!.labels).toEqual({ alertname: 'Low inventory', sku: 'SF-1004' });
  });

  it('marks an incident resolved when Grafana resolves its fingerprint, and keeps it visible', () => {
    let now = new Date('2026-11-22T11:00:00Z');
    const store = new IncidentStore({ now: () => now });
    store.apply([alert('fp-1')]);
    now = new Date('2026-11-22T11:05:00Z');
    store.apply([alert('fp-1', { status: 'resolved', endsAt: '2026-11-22T11:04:50Z' })]);
    expect(store.firing()).toEqual([]);
    expect(store.list()).toMatchObject([{ fingerprint: 'fp-1', status: 'resolved', resolvedAt: now }]);
  });

  it('keeps the last notices per incident, from each receiver that was told', () => {
    let now = new Date('2026-11-22T11:00:00Z');
    const store = new IncidentStore({ now: () => now, maxNotices: 3 });
    store.apply([alert('fp-1')], { receiver: 'on-call', title: 'page' });
    store.apply([alert('fp-1')], { receiver: 'shop-team', title: 'chat' });
    now = new Date('2026-11-22T11:01:00Z');
    store.apply([alert('fp-1', { status: 'resolved' })], { receiver: 'on-call', title: 'page resolved' });
    store.apply([alert('fp-1', { status: 'resolved' })], { receiver: 'shop-team', title: '' });
    // Each notice keeps the alert's start as that notification gave it: its firing episode.
    const since = new Date(alert('fp-1').startsAt);
    expect(store.list()[0]?.notices).toEqual([
      { receiver: 'shop-team', status: 'firing', at: new Date('2026-11-22T11:00:00Z'), since, title: 'chat' },
      { receiver: 'on-call', status: 'resolved', at: now, since, title: 'page resolved' },
      { receiver: 'shop-team', status: 'resolved', at: now, since, title: '' },
    ]);
  });

  it('reads the value from the __values__ annotation when the body has no values', () => {
    const store = new IncidentStore();
    store.apply([alert('fp-1', { values: null, annotations: { __values__: '{"C": 1, "B": 0.93}' } })]);
    store.apply([alert('fp-2', { values: null, annotations: { __values__: 'not json' } })]);
    expect(store.list().map((i) => [i.fingerprint, i.value])).toEqual([
      ['fp-2', undefined],
      ['fp-1', 'B = 0.93'],
    ]);
  });

  it('restores kept incidents in their order, keeping what Grafana reported since', () => {
    const before = new IncidentStore();
    before.apply([alert('old-1'), alert('old-2'), alert('both', { annotations: { summary: 'kept' } })]);
    const kept = before.history();
    expect(kept.map((i) => i.fingerprint)).toEqual(['old-1', 'old-2', 'both']);

    const after = new IncidentStore();
    let changes = 0;
    after.subscribe(() => changes++);
    after.apply([alert('both', { annotations: { summary: 'newer' } })]);
    after.restore(kept);
    expect(after.history().map((i) => [i.fingerprint, i.summary])).toEqual([
      ['old-1', 'Error rate above 5% on api'],
      ['old-2', 'Error rate above 5% on api'],
      ['both', 'newer'],
    ]);
    expect(changes).toBe(2);
  });

  it('forgets resolved incidents after the retention time and beyond the newest few', () => {
    let now = new Date('2026-11-22T11:00:00Z');
    const store = new IncidentStore({ now: () => now, keepResolvedMs: 60_000, maxResolved: 2 });
    store.apply(['a', 'b', 'c'].map((fp) => alert(fp, { status: 'resolved' })));
    expect(store.list().map((i) => i.fingerprint)).toEqual(['c', 'b']);
    now = new Date('2026-11-22T11:01:01Z');
    expect(store.list()).toEqual([]);
  });

  it('lists firing incidents before resolved ones, critical before warning', () => {
    const store = new IncidentStore();
    const warning = { ...firing.alerts[0]!.labels, severity: 'warning' };
    store.apply([alert('crit'), alert('old', { status: 'resolved' }), alert('warn', { labels: warning })]);
    expect(store.list().map((i) => i.fingerprint)).toEqual(['crit', 'warn', 'old']);
  });

  it('shows "no value" for NoData alerts whose values are null', () => {
    const store = new IncidentStore();
    store.apply([alert('nodata', { values: null }), alert('nullb', { values: { B: null } })]);
    expect(store.list().map((i) => i.value)).toEqual([undefined, undefined]);
  });

  it('notifies subscribers on every change until they unsubscribe', () => {
    const store = new IncidentStore();
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    store.apply([alert('x')]);
    store.clear();
    unsubscribe();
    store.apply([alert('y')]);
    expect(calls).toBe(2);
  });
});
