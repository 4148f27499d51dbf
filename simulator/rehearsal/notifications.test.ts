import { describe, expect, it } from 'vitest';
import { alertByUid } from '../../domain/alerts.ts';
import type { IncidentNotices } from '../clients/shop-client.ts';
import { instanceNotifications, notificationProblems, notifySlackSeconds } from './notifications.ts';

const start = Date.parse('2026-12-07T12:00:00Z');
const reset = start + 60_000;
const at = (ms: number) => new Date(ms).toISOString();
const lowInventory = alertByUid('low-inventory')!;

function incident(sku: string, notices: IncidentNotices['notices']): IncidentNotices {
  return { alertName: 'Low inventory', labels: { alertname: 'Low inventory', sku }, notices };
}

describe('instanceNotifications', () => {
  const incidents = [
    incident('SF-1004', [
      { receiver: 'merchandising', status: 'firing', at: at(start + 30_000) },
      { receiver: 'shop-team', status: 'firing', at: at(start + 31_000) },
      { receiver: 'merchandising', status: 'resolved', at: at(reset + 12_000) },
    ]),
    incident('SF-1008', [{ receiver: 'merchandising', status: 'firing', at: at(start + 2_000) }]),
    // From an earlier scenario: not counted.
    incident('SF-1004', [{ receiver: 'merchandising', status: 'firing', at: at(start - 5_000) }]),
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
      firingNotices: 1,
      resolvedNotices: 1,
    });
    expect(heard.expectedReceivers).toContain('merchandising');
  });
});

describe('notificationProblems', () => {
  const heard = {
    expectedReceivers: ['merchandising'],
    receivers: ['merchandising'],
    notifiedAtSeconds: 30,
    resolveNotifiedAtSeconds: 12,
    firingNotices: 1,
    resolvedNotices: 1,
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
    expect(
      notificationProblems({ ...heard, firingNotices: 3 }, { firedAtSeconds: 25, onePair: true }),
    ).toEqual(['notified twice']);
  });

  it('asks nothing of an instance that never fired', () => {
    expect(notificationProblems({ ...heard, receivers: [] }, {})).toEqual([]);
  });
});
