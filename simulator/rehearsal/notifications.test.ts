import { describe, expect, it } from 'vitest';
import { alertByUid } from '../../domain/alerts.ts';
import type { IncidentNotices } from '../clients/shop-client.ts';
import { instanceNotifications, notificationProblems, notifySlackSeconds } from './notifications.ts';

const start = Date.parse('2026-12-07T12:00:00Z');
const reset = start + 60_000;
const at = (ms: number) => new Date(ms).toISOString();
const lowInventory = alertByUid('low-inventory')!;
const firedAt = at(start + 25_000);

function incident(sku: string, notices: IncidentNotices['notices']): IncidentNotices {
  return { alertName: 'Low inventory', labels: { alertname: 'Low inventory', sku }, notices };
}

describe('instanceNotifications', () => {
  const incidents = [
    incident('SF-1004', [
      { receiver: 'merchandising', status: 'firing', at: at(start + 30_000), since: firedAt },
      { receiver: 'shop-team', status: 'firing', at: at(start + 31_000), since: firedAt },
      // The group's next notification lists the alert again: the same episode.
      { receiver: 'shop-team', status: 'firing', at: at(start + 41_000), since: firedAt },
      { receiver: 'merchandising', status: 'resolved', at: at(reset + 12_000), since: firedAt },
    ]),
    incident('SF-1008', [
      { receiver: 'merchandising', status: 'firing', at: at(start + 2_000), since: at(start) },
    ]),
    // From an earlier scenario: not counted.
    incident('SF-1004', [
      { receiver: 'merchandising', status: 'firing', at: at(start - 5_000), since: at(start - 20_000) },
    ]),
  ];

  it("reads the instance's notifications since the scenario's start, and the receivers the tree names", () => {
    const heard = instanceNotifications(
      incidents,
      lowInventory,
      { sku: 'SF-1004' },
      { startedAtMs: start, resetAtMs: reset },
    );
    expect(heard).toMatchObject({
      receivers: ['merchandising', 'shop-team'],
      notifiedAtSeconds: 30,
      resolveNotifiedAtSeconds: 12,
      firings: 1,
      resolves: 1,
    });
    expect(heard.expectedReceivers).toContain('merchandising');
  });

  it('counts a second episode (the alert resolved and fired again) as a second firing', () => {
    const refired = incident('SF-1004', [
      { receiver: 'merchandising', status: 'firing', at: at(start + 30_000), since: firedAt },
      { receiver: 'merchandising', status: 'resolved', at: at(start + 40_000), since: firedAt },
      { receiver: 'merchandising', status: 'firing', at: at(start + 50_000), since: at(start + 48_000) },
    ]);
    const heard = instanceNotifications(
      [refired],
      lowInventory,
      { sku: 'SF-1004' },
      { startedAtMs: start, resetAtMs: reset },
    );
    expect(heard).toMatchObject({ firings: 2, resolves: 1 });
    expect(notificationProblems(heard, { firedAtSeconds: 25, onePair: true })).toContain('fired twice');
  });
});

describe('notificationProblems', () => {
  const heard = {
    expectedReceivers: ['merchandising'],
    receivers: ['merchandising'],
    notifiedAtSeconds: 30,
    resolveNotifiedAtSeconds: 12,
    firings: 1,
    resolves: 1,
  };

  it('finds nothing wrong when the right receivers heard in time', () => {
    expect(notificationProblems(heard, { firedAtSeconds: 25, resolvedAtSeconds: 8 })).toEqual([]);
  });

  it(`calls a notification later than group_wait plus an evaluation (${notifySlackSeconds} s) late`, () => {
    expect(notificationProblems(heard, { firedAtSeconds: 10, resolvedAtSeconds: 8 })).toEqual([
      'notified late',
    ]);
  });

  it('names missing and wrong receivers, and a missing resolve', () => {
    expect(
      notificationProblems({ ...heard, notifiedAtSeconds: undefined, receivers: [] } as never, {
        firedAtSeconds: 25,
      }),
    ).toEqual(['not notified']);
    expect(notificationProblems({ ...heard, receivers: ['shop-team'] }, { firedAtSeconds: 25 })).toEqual([
      'wrong receivers',
    ]);
    const { resolveNotifiedAtSeconds: _, ...unresolved } = heard;
    expect(notificationProblems(unresolved, { firedAtSeconds: 25, resolvedAtSeconds: 8 })).toEqual([
      'resolve not notified',
    ]);
  });

  it('wants nothing heard under a silence, and the notification soon after it ends', () => {
    expect(notificationProblems(heard, { firedAtSeconds: 18, silencedUntilSeconds: 45 })).toEqual([
      'notified while silenced',
    ]);
    expect(
      notificationProblems(
        { ...heard, notifiedAtSeconds: 50 },
        { firedAtSeconds: 18, silencedUntilSeconds: 45 },
      ),
    ).toEqual([]);
  });

  it('wants one pair when the scenario says so', () => {
    expect(notificationProblems({ ...heard, firings: 3 }, { firedAtSeconds: 25, onePair: true })).toEqual([
      'fired twice',
    ]);
  });

  it('asks nothing of an instance that never fired', () => {
    expect(notificationProblems({ ...heard, receivers: [] }, {})).toEqual([]);
  });
});
