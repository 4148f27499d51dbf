import { describe, expect, it } from 'vitest';
import { FakeShop } from '../testing/fake-shop.ts';
import { resetEverything } from './reset.ts';

describe('resetEverything', () => {
  it('says which faults were in force, and clears the status page only when asked', async () => {
    const shop = new FakeShop();
    shop.faultsInForce = { payment: { gatewayFailureRate: 0.8, latencyMs: 0 } };
    shop.failedLogins = 9;
    shop.incidents = { open: 2, resolved: 3 };

    const kept = await resetEverything(shop, { clearIncidents: false });
    expect(kept).toMatchObject({
      faultsCleared: ['api', 'frontend', 'payment', 'inventory'],
      faultsInForce: [{ service: 'payment', kinds: ['gatewayFailureRate'] }],
      failedLoginsCleared: 9,
      incidentsCleared: null,
    });
    expect(shop.calls).not.toContain('clearIncidents');

    const cleared = await resetEverything(shop, { clearIncidents: true });
    expect(cleared).toMatchObject({ faultsInForce: [], failedLoginsCleared: 0 });
    expect(cleared.incidentsCleared).toEqual({ open: 2, resolved: 3 });
  });
});
