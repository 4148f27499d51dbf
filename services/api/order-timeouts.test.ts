import { describe, expect, it } from 'vitest';
import { orderTimeoutsFrom } from './order-timeouts.ts';

describe('orderTimeoutsFrom', () => {
  it('defaults to a 10 s order, 2.5 s for inventory and 6 s for payment', () => {
    expect(orderTimeoutsFrom({})).toEqual({ orderMs: 10_000, inventoryMs: 2_500, paymentMs: 6_000 });
  });

  it('reads shorter timeouts that still nest', () => {
    const env = { ORDER_TIMEOUT_MS: '4000', INVENTORY_TIMEOUT_MS: '1000', PAYMENT_TIMEOUT_MS: '1500' };
    expect(orderTimeoutsFrom(env)).toEqual({ orderMs: 4_000, inventoryMs: 1_000, paymentMs: 1_500 });
  });

  it('refuses hops that do not fit in the order budget, naming the variables', () => {
    expect(() => orderTimeoutsFrom({ ORDER_TIMEOUT_MS: '5000' })).toThrow(
      /ORDER_TIMEOUT_MS \(5000\) must cover INVENTORY_TIMEOUT_MS \+ PAYMENT_TIMEOUT_MS/,
    );
  });

  it.each(['soon', '50', '1000000'])('refuses ORDER_TIMEOUT_MS=%s', (value) => {
    expect(() => orderTimeoutsFrom({ ORDER_TIMEOUT_MS: value })).toThrow(
      /invalid order timeouts: ORDER_TIMEOUT_MS/,
    );
  });
});
