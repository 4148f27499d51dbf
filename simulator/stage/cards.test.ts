import { describe, expect, it } from 'vitest';
import { FakeAlertSource } from '../testing/fake-alert-source.ts';
import { buildCards, nothingKnown, type CardInputs } from './cards.ts';
import { ValueHistory } from './value-history.ts';

const t0 = Date.parse('2026-12-01T10:00:00Z');

async function inputs(source: FakeAlertSource, change: Partial<CardInputs> = {}): Promise<CardInputs> {
  return {
    statuses: await source.ruleStatuses(),
    history: new ValueHistory(),
    seen: new Map(),
    notifications: () => nothingKnown,
    clearedAtMs: new Map(),
    expectation: null,
    nowMs: t0,
    ...change,
  };
}

describe('buildCards', () => {
  it('gives each rule a card, and each instance the catalog expects of a rule with several', async () => {
    const cards = buildCards(await inputs(new FakeAlertSource()));
    expect(cards.map((card) => card.id)).toEqual([
      'high-cpu service=api',
      'high-error-rate service=payment',
      'high-error-rate service=api',
      'slow-responses service=api',
      'slow-responses service=frontend',
      'payment-failures',
      'low-inventory sku=SF-1004',
      'low-inventory sku=SF-1008',
      'low-inventory sku=SF-1001',
      'critical-inventory sku=SF-1001',
      'failed-logins',
    ]);
    expect(cards.every((card) => card.state === 'Normal' && card.clock === null)).toBe(true);
  });

  it("shows each instance's own state and clock, and an instance the catalog does not expect once seen", async () => {
    const source = new FakeAlertSource()
      .set('high-error-rate', [
        {
          labels: { service: 'api', alertname: 'High error rate' },
          state: 'Pending',
          activeSinceMs: t0 - 3_000,
        },
        { labels: { service: 'frontend' }, state: 'Alerting', activeSinceMs: t0 - 20_000 },
      ])
      .set('failed-logins', [{ state: 'Alerting', activeSinceMs: t0 - 5_000 }]);
    const cards = buildCards(
      await inputs(source, { seen: new Map([['high-error-rate', [{ service: 'frontend' }]]]) }),
    );
    const byId = new Map(cards.map((card) => [card.id, card]));
    expect(byId.get('high-error-rate service=api')).toMatchObject({
      state: 'Pending',
      clock: { kind: 'fires-in', atMs: t0 + 10_000 },
    });
    expect(byId.get('high-error-rate service=payment')?.state).toBe('Normal');
    expect(byId.get('high-error-rate service=frontend')).toMatchObject({
      state: 'Firing',
      instance: 'service=frontend',
    });
    expect(byId.get('failed-logins')).toMatchObject({
      state: 'Firing',
      clock: { kind: 'firing-for', atMs: t0 - 5_000 },
    });
  });

  it('reads Unknown when the source did not answer', async () => {
    const cards = buildCards(await inputs(new FakeAlertSource(), { statuses: null }));
    expect(new Set(cards.map((card) => card.state))).toEqual(new Set(['Unknown']));
  });

  it('carries the values, the expectations of the run and what the notifications say', async () => {
    const history = new ValueHistory();
    history.add('failed-logins', { atMs: t0 - 10_000, value: 2 });
    history.add('failed-logins', { atMs: t0, value: 7 });
    const cards = buildCards(
      await inputs(new FakeAlertSource(), {
        history,
        expectation: {
          startedAtMs: t0 - 2_000,
          fireSeconds: new Map([['failed-logins', 18]]),
          cardIds: new Set(['failed-logins']),
        },
        notifications: (alert) =>
          alert.uid === 'failed-logins'
            ? {
                notified: { receivers: ['on-call'], atMs: t0 },
                routedTo: ['on-call'],
                silenced: true,
                muted: false,
              }
            : nothingKnown,
      }),
    );
    expect(cards.find((card) => card.id === 'failed-logins')).toMatchObject({
      value: { atMs: t0, value: 7 },
      points: [
        [t0 - 10_000, 2],
        [t0, 7],
      ],
      expected: true,
      clock: { kind: 'expected-in', atMs: t0 + 16_000 },
      notified: { receivers: ['on-call'], atMs: t0 },
      silenced: true,
    });
    expect(cards.filter((card) => card.expected).map((card) => card.id)).toEqual(['failed-logins']);
  });
});
