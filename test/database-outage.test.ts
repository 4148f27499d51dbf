import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startPostgres, stopPostgres } from '../scripts/native/postgres.ts';
import { adminHeaders } from './support/stack.ts';
import { waitFor } from './support/wait-for.ts';

const stack = inject('stack');
const { api, inventory } = stack.urls;
const json = { 'content-type': 'application/json' };

/** Every route of the api and inventory that needs PostgreSQL. */
const databaseRoutes: [string, string, RequestInit][] = [
  ['GET /api/products', `${api}/api/products`, {}],
  ['GET /api/products/:sku', `${api}/api/products/SF-1001`, {}],
  [
    'POST /api/orders',
    `${api}/api/orders`,
    {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ items: [{ sku: 'SF-1001', quantity: 1 }], paymentMethod: 'card' }),
    },
  ],
  [
    'POST /api/login',
    `${api}/api/login`,
    { method: 'POST', headers: json, body: JSON.stringify({ email: 'alice@shopfast.local', password: 'x' }) },
  ],
  ['POST /admin/logins/reset', `${api}/admin/logins/reset`, { method: 'POST', headers: adminHeaders(stack) }],
  ['GET /inventory', `${inventory}/inventory`, {}],
  ['GET /inventory/:sku', `${inventory}/inventory/SF-1001`, {}],
  [
    'POST /inventory/reserve',
    `${inventory}/inventory/reserve`,
    {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        orderId: '00000000-0000-4000-8000-000000000001',
        items: [{ sku: 'SF-1001', quantity: 1 }],
        holdMs: 60_000,
      }),
    },
  ],
  [
    'POST /inventory/restock',
    `${inventory}/inventory/restock`,
    { method: 'POST', headers: json, body: JSON.stringify({ sku: 'SF-1001', quantity: 1 }) },
  ],
  [
    'POST /admin/stock/reset',
    `${inventory}/admin/stock/reset`,
    { method: 'POST', headers: adminHeaders(stack) },
  ],
];

/** process_start_time_seconds of a service: unchanged means the process was never restarted. */
async function startTime(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^process_start_time_seconds\{[^}]*\} (\S+)$/m.exec(text)?.[1]);
}

async function readiness(url: string) {
  const response = await fetch(`${url}/ready`);
  return {
    status: response.status,
    body: (await response.json()) as { status: string; checks: Record<string, string> },
  };
}

// Only the runner's throwaway PostgreSQL can be stopped; with DATABASE_URL the stack does not own it.
describe.skipIf(stack.postgres === null)('PostgreSQL outage', () => {
  it('answers 503 with the envelope while PostgreSQL is down, and recovers without a restart', async () => {
    const postgres = stack.postgres!;
    const started = { api: await startTime(api), inventory: await startTime(inventory) };
    await stopPostgres(postgres);
    try {
      for (const [name, url, init] of databaseRoutes) {
        const response = await fetch(url, init);
        const body = (await response.json()) as { error?: { code: string }; requestId?: string };
        expect({ name, status: response.status, code: body.error?.code }).toEqual({
          name,
          status: 503,
          code: 'database_unavailable',
        });
        expect(body.requestId).toBe(response.headers.get('x-request-id'));
      }

      const apiReady = await readiness(api);
      expect(apiReady.status).toBe(503);
      expect(apiReady.body.status).toBe('not_ready');
      expect(apiReady.body.checks).toMatchObject({ inventory: 'ok', payment: 'ok' });
      expect(apiReady.body.checks.postgres).not.toBe('ok');
      const inventoryReady = await readiness(inventory);
      expect(inventoryReady.status).toBe(503);
      expect(inventoryReady.body.checks.postgres).not.toBe('ok');

      // Alive all along: health and metrics still answer (the stock gauges keep their last values).
      for (const url of [api, inventory]) expect((await fetch(`${url}/health`)).status).toBe(200);
      const scrapeStarted = performance.now();
      const metrics = await fetch(`${inventory}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('inventory_stock_level{sku="SF-1001"');
      expect(performance.now() - scrapeStarted).toBeLessThan(2_000);
    } finally {
      // Always bring PostgreSQL back: every later test file needs it.
      await startPostgres(postgres);
    }

    await waitFor('the api to be ready again', async () => (await readiness(api)).status === 200);
    await waitFor('the inventory to be ready again', async () => (await readiness(inventory)).status === 200);
    expect((await fetch(`${api}/api/products`)).status).toBe(200);
    expect((await fetch(`${inventory}/inventory/SF-1001`)).status).toBe(200);
    const login = await fetch(`${api}/api/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'alice@shopfast.local', password: 'alice-demo-pass' }),
    });
    expect(login.status).toBe(200);
    expect({ api: await startTime(api), inventory: await startTime(inventory) }).toEqual(started);
  });
});
