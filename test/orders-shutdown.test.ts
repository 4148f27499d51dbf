import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freePorts } from '../scripts/native/ports.ts';
import { spawnService, waitForService, type RunningService } from '../scripts/native/services.ts';
import { consistencyOf, consistent, databaseNow, waitUntilSettled } from './support/order-ledger.ts';
import { postJson } from './support/http.ts';
import { testProducts } from './support/products.ts';
import { resetFaults, setFaults } from './support/faults.ts';
import { sql } from './support/stack.ts';
import { waitFor } from './support/wait-for.ts';

const stack = inject('stack');
const db = sql(stack);
const products = testProducts(db, 'T-STOP', 'test/orders-shutdown.test.ts');
let api: RunningService | undefined;
let logDir: string | undefined;

const setPaymentFaults = (faults: Record<string, number>) => setFaults(stack, 'payment', faults);

async function heldFor(sku: string): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    SELECT count(*)::int AS n FROM stock_reservations r JOIN stock_reservation_items i ON i.order_id = r.order_id
    WHERE i.sku = ${sku} AND r.status = 'held'`;
  return row!.n;
}

afterAll(async () => {
  await resetFaults(stack, ['payment']);
  await api?.child.stop(1_000);
  if (logDir) await rm(logDir, { recursive: true, force: true });
  await products.remove();
  await db.end();
});

describe('SIGTERM to the api with orders in flight', () => {
  it('answers every order it took; every 201 has its rows and no unit stays reserved for a missing order', async () => {
    // An api of its own, on the shared database, inventory and payment, with short timeouts.
    const [port] = (await freePorts(1)) as [number];
    logDir = await mkdtemp(join(tmpdir(), 'shopfast-orders-shutdown-'));
    api = spawnService({
      name: 'api',
      env: {
        DATABASE_URL: stack.databaseUrl,
        ADMIN_TOKEN: stack.adminToken,
        INVENTORY_URL: stack.urls.inventory,
        PAYMENT_URL: stack.urls.payment,
        APP_ENV: 'test',
        ORDER_TIMEOUT_MS: '4000',
        INVENTORY_TIMEOUT_MS: '1000',
        PAYMENT_TIMEOUT_MS: '1500',
      },
      port,
      fromDist: false,
      output: 'quiet',
      logDir,
    });
    await waitForService(api);

    const sku = await products.create(40);
    const since = await databaseNow(db);
    // Charges take 0.8-1.8 s (plus processing) against the api's 1.5 s: some orders are paid, some time out and void.
    await setPaymentFaults({ latencyMs: 800, latencyJitterMs: 1_000 });
    const orders = Array.from({ length: 20 }, async () => {
      const response = await postJson(`${api!.url}/api/orders`, {
        items: [{ sku, quantity: 1 }],
        paymentMethod: 'card',
      });
      const body = (await response.json()) as { order?: { id: string } };
      return { status: response.status, orderId: body.order?.id };
    });
    // All 20 hold their stock and wait for payment: they are in flight.
    await waitFor('20 orders waiting for payment', async () => (await heldFor(sku)) === 20, {
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    const signalled = performance.now();
    process.kill(api.child.pid, 'SIGTERM');
    const exitCode = await api.child.exited;
    const stoppedMs = Math.round(performance.now() - signalled);
    const replies = await Promise.all(orders);
    await setPaymentFaults({ latencyMs: 0, latencyJitterMs: 0 });
    console.log(
      `[orders-shutdown] api exited ${exitCode} after ${stoppedMs} ms; replies ${JSON.stringify(
        replies.reduce<Record<number, number>>((n, r) => ({ ...n, [r.status]: (n[r.status] ?? 0) + 1 }), {}),
      )}`,
    );
    expect(exitCode).toBe(0);
    expect(replies.every((r) => r.status === 201 || r.status === 503)).toBe(true);

    const paidIds = replies.filter((r) => r.status === 201).map((r) => r.orderId!);
    const rows = await db<{ id: string; status: string; reservation: string; captured: boolean }[]>`
      SELECT o.id, o.status, r.status AS reservation, c.captured_at IS NOT NULL AS captured
      FROM orders o
      JOIN stock_reservations r ON r.order_id = o.id
      JOIN payment_charges c ON c.order_id = o.id
      WHERE o.id = ANY(${paidIds}::uuid[])`;
    expect(rows.map(({ id, ...rest }) => [id, rest]).sort()).toEqual(
      paidIds.sort().map((id) => [id, { status: 'paid', reservation: 'committed', captured: true }]),
    );

    await waitUntilSettled(db, sku, since, 20_000);
    expect(await consistencyOf(db, sku, since)).toEqual(consistent(40));
  }, 60_000);
});
