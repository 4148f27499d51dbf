import { describe, expect, it } from 'vitest';
import { alertByUid, alertCatalog } from '../../domain/alerts.ts';
import { FakeShop } from '../testing/fake-shop.ts';
import { alertSignal, readShopSignals } from './alert-signals.ts';

const alert = (uid: string) => alertByUid(uid)!;
const product = (stock: number, lowStockThreshold = 8) => ({
  sku: `SF-${stock}`,
  stock,
  lowStockThreshold,
  seedStock: 40,
});

describe("each alert's own signal", () => {
  it('is the stock or the login streak for the alerts only reset resolves, faults for the others', () => {
    for (const definition of alertCatalog) {
      expect(alertSignal(definition).kind === 'faults', definition.uid).toBe(
        definition.resolvedBy === 'scenario end',
      );
    }
  });

  it('holds low-inventory while a product is at its own threshold, as the rule reads the headroom', () => {
    const signal = alertSignal(alert('low-inventory'));
    expect(signal.heldBy({ stock: [product(8, 8)] })).toBe('stock still low: SF-8 at 8');
    expect(signal.heldBy({ stock: [product(9, 8)] })).toBeUndefined();
  });

  it("holds critical-inventory at the catalog's threshold, whatever the product's own", () => {
    const { threshold } = alert('critical-inventory');
    const signal = alertSignal(alert('critical-inventory'));
    expect(signal.heldBy({ stock: [product(threshold.value - 1, 0)] })).toMatch(/^stock still low/);
    expect(signal.heldBy({ stock: [product(threshold.value, 0)] })).toBeUndefined();
  });

  it('holds failed-logins while the streak is over the threshold', () => {
    const { threshold } = alert('failed-logins');
    const signal = alertSignal(alert('failed-logins'));
    expect(signal.heldBy({ failedLogins: threshold.value + 1 })).toBe(
      `${threshold.value + 1} failed logins in the last 5 minutes`,
    );
    expect(signal.heldBy({ failedLogins: threshold.value })).toBeUndefined();
  });

  it('holds payment-failures by a fault on payment, not by one on a service its scenario leaves alone', () => {
    const signal = alertSignal(alert('payment-failures'));
    expect(signal.heldBy({ faults: [{ service: 'payment', faults: { gatewayFailureRate: 0.8 } }] })).toBe(
      'faults in force: payment gatewayFailureRate=0.8',
    );
    expect(signal.heldBy({ faults: [{ service: 'inventory', faults: { latencyMs: 50 } }] })).toBeUndefined();
  });

  it('clears only what holds its own alert up', async () => {
    const cases: [string, string[]][] = [
      ['failed-logins', ['resetLogins']],
      ['low-inventory', ['resetStock']],
      ['payment-failures', ['faults payment', 'resetFaults payment']],
    ];
    for (const [uid, calls] of cases) {
      const shop = new FakeShop();
      shop.faultsInForce = { payment: { gatewayFailureRate: 0.8 }, api: { cpuBurn: 1 } };
      await alertSignal(alert(uid)).clear(shop);
      expect(shop.calls, uid).toEqual(calls);
    }
  });

  it('says what it cleared', async () => {
    const shop = new FakeShop();
    shop.faultsInForce = { api: { cpuBurn: 1, latencyMs: 1100 } };
    expect(await alertSignal(alert('high-cpu')).clear(shop)).toBe(
      'faults cleared on api (were in force: api cpuBurn latencyMs)',
    );
    shop.failedLogins = 17;
    expect(await alertSignal(alert('failed-logins')).clear(shop)).toBe(
      'failed-login streak cleared (17 attempts)',
    );
  });

  it('reads only the signals the active alerts need', async () => {
    const shop = new FakeShop();
    shop.failedLogins = 6;
    expect(await readShopSignals(shop, ['failed-logins'])).toEqual({ failedLogins: 6 });
    expect(shop.calls).toEqual(['failedLoginStreak']);
  });
});
