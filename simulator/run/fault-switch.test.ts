import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceApp } from '../../services/kit/app.ts';
import { createKit, type ServiceKit } from '../../services/kit/kit.ts';
import { paymentSettingsFrom } from '../../services/payment/settings.ts';
import { serviceNames, type ServiceName } from '../../domain/services.ts';
import { FaultSwitch } from './fault-switch.ts';
import { ShopClient } from '../clients/shop-client.ts';

const adminToken = 'fault-switch-token';
const running: { kit: ServiceKit; server: ServerType }[] = [];

afterEach(async () => {
  for (const { kit, server } of running.splice(0)) {
    await new Promise((resolve) => server.close(resolve));
    await kit.close();
  }
});

/** A real payment service (the kit's fault API) on a free port; the other services are never called. */
async function paymentService() {
  const kit = createKit(paymentSettingsFrom({ ADMIN_TOKEN: adminToken, LOG_LEVEL: 'silent' }));
  const app = createServiceApp(kit);
  const server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  running.push({ kit, server });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const urls = Object.fromEntries(serviceNames.map((name) => [name, url])) as Record<ServiceName, string>;
  return { kit, shop: new ShopClient(urls, adminToken, 'the test') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('FaultSwitch', () => {
  it('keeps a running scenario’s faults alive past their time to live, and undoes them at the end', async () => {
    const { kit, shop } = await paymentService();
    const faults = new FaultSwitch(shop, { ttlSeconds: 2, renewEveryMs: 500 });
    await faults.apply({ payment: { gatewayFailureRate: 0.8 } });
    await sleep(3_500);
    expect(kit.faults.value('gatewayFailureRate')).toBe(0.8);
    expect(Date.parse(kit.faults.report().expiresAt.gatewayFailureRate!) - Date.now()).toBeLessThanOrEqual(
      2_000,
    );

    expect(await faults.undoAll()).toEqual({ undone: ['payment'], failed: [] });
    await sleep(700);
    expect(kit.faults.report().faults.gatewayFailureRate).toBe(0);
  });

  it('leaves faults to expire by themselves once nothing renews them (a simulator that died)', async () => {
    const { kit, shop } = await paymentService();
    await shop.setFaults('payment', { gatewayFailureRate: 0.8, ttlSeconds: 1 });
    await sleep(1_300);
    expect(kit.faults.value('gatewayFailureRate')).toBe(0);
  });

  it('switches off the kinds a new phase no longer names on the same service', async () => {
    const { kit, shop } = await paymentService();
    const faults = new FaultSwitch(shop);
    await faults.apply({ payment: { errorRate: 0.2, latencyMs: 100 } });
    await faults.apply({ payment: { latencyMs: 50 } });
    expect(kit.faults.report().faults).toMatchObject({ errorRate: 0, latencyMs: 50 });
    await faults.undoAll();
  });
});
