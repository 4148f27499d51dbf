import { describe, expect, it } from 'vitest';
import { alertByUid } from '../../domain/alerts.ts';
import { phasedScenario } from '../scenarios/registry.ts';
import { incidentStartSeconds } from '../scenarios/scenario.ts';
import { FakeShop } from '../testing/fake-shop.ts';
import { clearForRefire } from './refire.ts';

describe('trigger, with its alert still active from an earlier run', () => {
  it("clears that alert's signal alone and says how long the resolve and the new firing take", async () => {
    const alert = alertByUid('failed-logins')!;
    const scenario = phasedScenario('security-breach');
    const shop = new FakeShop();
    shop.failedLogins = 16;
    shop.incidents = { open: 1, resolved: 0 };
    const event = await clearForRefire({ shop, alert, scenario, state: 'Firing', alertSource: 'preview' });
    expect(shop.calls).toEqual(['resetLogins']);
    expect(event).toMatchObject({
      type: 'refire',
      uid: 'failed-logins',
      scenario: 'security-breach',
      cleared: 'failed-login streak cleared (16 attempts)',
      resolveSeconds: alert.expectedSecondsToResolve,
    });
    // Firing again counts from the scenario's start: its quiet lead-in comes first.
    expect(event.fireSeconds).toBe(incidentStartSeconds(scenario) + alert.expectedSecondsToFire);
    expect(event.totalSeconds).toBe(event.resolveSeconds + event.fireSeconds);
  });
});
