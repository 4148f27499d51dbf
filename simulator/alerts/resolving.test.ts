import { describe, expect, it } from 'vitest';
import { alertByUid } from '../../domain/alerts.ts';
import { UsageError } from '../errors.ts';
import { FakeAlertSource, ruleStatus } from '../testing/fake-alert-source.ts';
import { FakeShop } from '../testing/fake-shop.ts';
import { judgeActiveAlerts } from './resolving.ts';

const resolveSeconds = (uid: string) => alertByUid(uid)!.expectedSecondsToResolve;

describe('an active alert: still resolving, or held up', () => {
  it('judges nothing when every rule is Normal, and reads no signal', async () => {
    const shop = new FakeShop();
    expect(await judgeActiveAlerts(await new FakeAlertSource().ruleStatuses(), shop)).toEqual([]);
    expect(shop.calls).toEqual([]);
  });

  it('holds failed-logins while the streak lasts; once cleared it resolves within its catalog time', async () => {
    const statuses = await new FakeAlertSource('preview')
      .set('failed-logins', [{ state: 'Alerting' }])
      .ruleStatuses();
    const shop = new FakeShop();
    shop.failedLogins = 12;
    expect(await judgeActiveAlerts(statuses, shop)).toEqual([
      expect.objectContaining({
        uid: 'failed-logins',
        state: 'Firing',
        verdict: 'held',
        heldBy: '12 failed logins in the last 5 minutes',
        clears: 'the failed-login streak',
      }),
    ]);
    await shop.resetLogins();
    expect(await judgeActiveAlerts(statuses, shop)).toEqual([
      expect.objectContaining({
        uid: 'failed-logins',
        verdict: 'resolving',
        secondsLeft: resolveSeconds('failed-logins'),
      }),
    ]);
  });

  it("tells a rate alert held by its scenario's fault from one whose window drains", async () => {
    const statuses = await new FakeAlertSource()
      .set('high-error-rate', [{ labels: { service: 'payment' }, state: 'Alerting' }])
      .set('slow-responses', [{ labels: { service: 'api' }, state: 'Pending' }])
      .ruleStatuses();
    const shop = new FakeShop();
    shop.faultsInForce = { payment: { gatewayFailureRate: 0.8 } };
    const verdicts = await judgeActiveAlerts(statuses, shop);
    expect(verdicts.map((alert) => [alert.uid, alert.verdict])).toEqual([
      ['high-error-rate', 'held'],
      ['slow-responses', 'resolving'],
    ]);
  });

  it('holds a rule whose query fails, whatever the shop says', async () => {
    const statuses = new Map([
      [
        'failed-logins',
        { ...ruleStatus('failed-logins'), state: 'Firing' as const, health: 'error', lastError: 'db down' },
      ],
    ]);
    expect(await judgeActiveAlerts(statuses, new FakeShop())).toEqual([
      expect.objectContaining({ verdict: 'held', heldBy: 'its query fails: db down' }),
    ]);
  });

  it('holds the alerts up when their signals cannot be read', async () => {
    const statuses = await new FakeAlertSource().set('failed-logins', [{ state: 'Alerting' }]).ruleStatuses();
    const shop = new FakeShop();
    shop.failedLoginStreak = () => Promise.reject(new UsageError('no admin token'));
    expect(await judgeActiveAlerts(statuses, shop)).toEqual([
      expect.objectContaining({
        verdict: 'held',
        heldBy: 'cannot tell whether its signal is cleared (no admin token)',
      }),
    ]);
  });
});
