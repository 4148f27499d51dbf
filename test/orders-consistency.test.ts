import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { consistencyOf, consistent, databaseNow, waitUntilSettled } from './support/order-ledger.ts';
import { postJson } from './support/http.ts';
import { testProducts } from './support/products.ts';
import { resetFaults as resetStackFaults, setFaults as setStackFaults } from './support/faults.ts';
import { sql } from './support/stack.ts';

const stack = inject('stack');
const db = sql(stack);
const products = testProducts(db, 'T-CONS', 'test/orders-consistency.test.ts');

const setFaults = (service: 'payment' | 'inventory', faults: Record<string, number>) =>
  setStackFaults(stack, service, faults);
const resetFaults = () => resetStackFaults(stack, ['payment', 'inventory']);

/** 50 shoppers at once, one unit each; the statuses they got, counted. */
async function fiftyOrders(sku: string): Promise<Record<number, number>> {
  const statuses = await Promise.all(
    Array.from({ length: 50 }, async () => {
      const response = await postJson(`${stack.urls.api}/api/orders`, {
        items: [{ sku, quantity: 1 }],
        paymentMethod: 'card',
      });
      await response.body?.cancel();
      return response.status;
    }),
  );
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

async function paidOrders(sku: string): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    SELECT count(*)::int AS n FROM orders o JOIN order_items i ON i.order_id = o.id
    WHERE i.sku = ${sku} AND o.status = 'paid'`;
  return row!.n;
}

afterEach(resetFaults);

afterAll(async () => {
  await products.remove();
  await db.end();
});

// The api gives inventory 2.5 s and payment 6 s (services/api/order-timeouts.ts) and tells each a
// little less. Latency that straddles those limits makes every path happen in one run: answers in
// time, answers too late for the api (a reservation or charge the api gave up on), and requests
// that arrive after their deadline and are refused.
describe('orders under latency faults around the api timeouts', () => {
  it('inventory slower than the api waits: stock + units sold equals the starting stock exactly', async () => {
    const sku = await products.create(60);
    const since = await databaseNow(db);
    expect((await setFaults('inventory', { latencyMs: 2_000, latencyJitterMs: 800 })).status).toBe(200);
    const statuses = await fiftyOrders(sku);
    await resetFaults();
    console.log(`[orders-consistency] inventory latency 2.0-2.8 s: ${JSON.stringify(statuses)}`);
    expect(statuses[503]).toBeGreaterThan(0);
    expect((statuses[201] ?? 0) + (statuses[503] ?? 0)).toBe(50);

    await waitUntilSettled(db, sku, since, 20_000);
    expect(await consistencyOf(db, sku, since)).toEqual(consistent(60));
    expect(await paidOrders(sku)).toBe(statuses[201] ?? 0);
  });

  it('payment slower than the api waits: no charge succeeded without a paid order, every unpaid order gave its stock back', async () => {
    const sku = await products.create(60);
    const since = await databaseNow(db);
    expect((await setFaults('payment', { latencyMs: 5_500, latencyJitterMs: 600 })).status).toBe(200);
    const statuses = await fiftyOrders(sku);
    console.log(`[orders-consistency] payment latency 5.5-6.1 s: ${JSON.stringify(statuses)}`);
    expect(statuses[503]).toBeGreaterThan(0);
    expect((statuses[201] ?? 0) + (statuses[503] ?? 0)).toBe(50);

    // Late voids still carry the latency fault; what they miss, the charge's hold expires.
    await waitUntilSettled(db, sku, since, 30_000);
    await resetFaults();
    expect(await consistencyOf(db, sku, since)).toEqual(consistent(60));
    expect(await paidOrders(sku)).toBe(statuses[201] ?? 0);
    const ledger = await db<{ status: string; captured: boolean; reason: string | null; n: number }[]>`
      SELECT status, captured_at IS NOT NULL AS captured, reason, count(*)::int AS n
      FROM payment_charges WHERE created_at >= ${since} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
    console.log(`[orders-consistency] payment ledger: ${JSON.stringify(ledger)}`);
    const captured = ledger.filter((row) => row.captured).reduce((sum, row) => sum + row.n, 0);
    expect(captured).toBe(statuses[201] ?? 0);
  }, 60_000);
});
