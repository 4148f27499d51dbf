import pino from 'pino';
import client from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FaultRequest } from '../../domain/faults.ts';
import type { ServiceName } from '../../domain/services.ts';
import { Faults } from '../../services/kit/faults.ts';
import { FaultSwitch, type FaultShop } from './fault-switch.ts';

// The switch against payment's own fault store (the one behind its /admin/faults API), in this
// process and on fake timers: the renewals, the time to live and the expiry run on the same clock.

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

const stores: Faults[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

/** Payment's fault store, and the shop as the switch sees it, calling that store for payment. */
function payment(): { store: Faults; shop: FaultShop } {
  const store = new Faults({
    service: 'payment',
    logger: pino({ level: 'silent' }),
    registry: new client.Registry(),
  });
  stores.push(store);
  const only = (service: ServiceName) => {
    if (service !== 'payment') throw new Error(`the switch called ${service}, which the plan never named`);
  };
  const shop: FaultShop = {
    setFaults: (service: ServiceName, request: FaultRequest) => (only(service), store.set(request)),
    resetFaults: (service: ServiceName) => (only(service), store.reset()),
  };
  return { store, shop };
}

describe('FaultSwitch', () => {
  it('keeps a running scenario’s faults alive past their time to live, and undoes them at the end', async () => {
    const { store, shop } = payment();
    const faults = new FaultSwitch(shop, { ttlSeconds: 2, renewEveryMs: 500 });
    await faults.apply({ payment: { gatewayFailureRate: 0.8 } });
    await vi.advanceTimersByTimeAsync(3_500);
    expect(store.value('gatewayFailureRate')).toBe(0.8);
    expect(Date.parse(store.report().expiresAt.gatewayFailureRate!) - Date.now()).toBeLessThanOrEqual(2_000);

    expect(await faults.undoAll()).toEqual({ undone: ['payment'], failed: [] });
    // No renewal switches them on again afterwards.
    await vi.advanceTimersByTimeAsync(700);
    expect(store.report().faults.gatewayFailureRate).toBe(0);
  });

  it('sets every fault with its time to live, so they go off once nothing renews them (a simulator that died)', async () => {
    const { store, shop } = payment();
    // Renewals far apart: the process is gone before the first.
    const faults = new FaultSwitch(shop, { ttlSeconds: 1, renewEveryMs: 60_000 });
    await faults.apply({ payment: { gatewayFailureRate: 0.8 } });
    expect(store.value('gatewayFailureRate')).toBe(0.8);
    await vi.advanceTimersByTimeAsync(1_300);
    expect(store.value('gatewayFailureRate')).toBe(0);
  });

  it('switches off the kinds a new phase no longer names on the same service', async () => {
    const { store, shop } = payment();
    const faults = new FaultSwitch(shop);
    await faults.apply({ payment: { errorRate: 0.2, latencyMs: 100 } });
    await faults.apply({ payment: { latencyMs: 50 } });
    expect(store.report().faults).toMatchObject({ errorRate: 0, latencyMs: 50 });
    await faults.undoAll();
  });
});
