import { describe, expect, it } from 'vitest';
import { PurchaseRestocker } from './restocker.ts';

describe('PurchaseRestocker', () => {
  it('puts back each purchase right away, once', async () => {
    const restocks: [string, number][] = [];
    const restocker = new PurchaseRestocker({
      restock: (sku, quantity) => {
        restocks.push([sku, quantity]);
        return Promise.resolve();
      },
    });
    restocker.record('SF-1001', 2);
    restocker.record('SF-1002', 1);
    await restocker.flush();
    await restocker.flush();
    expect(restocks).toEqual([
      ['SF-1001', 2],
      ['SF-1002', 1],
    ]);
    expect(restocker.restocked).toBe(3);
    expect(restocker.pending).toBe(0);
  });

  it('keeps what a failed restock owed and tries it again; stop puts back the rest', async () => {
    let down = true;
    const restocks: [string, number][] = [];
    const restocker = new PurchaseRestocker({
      restock: (sku, quantity) => {
        if (down) return Promise.reject(new Error('inventory answered 503'));
        restocks.push([sku, quantity]);
        return Promise.resolve();
      },
    });
    restocker.record('SF-1004', 2);
    await restocker.flush();
    // The purchase's own round failed, and so did this one.
    expect(restocker).toMatchObject({ failures: 2, restocked: 0, pending: 2 });
    down = false;
    await restocker.stop();
    expect(restocks).toEqual([['SF-1004', 2]]);
    expect(restocker.pending).toBe(0);
  });
});
