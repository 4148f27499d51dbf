import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { testProducts } from './support/products.ts';
import { sql } from './support/stack.ts';

const stack = inject('stack');
const db = sql(stack);
const products = testProducts(db, 'T-RACE', 'test/orders-concurrency.test.ts');
const { stockOf } = products;

/** The status, and the body when it is neither a paid order nor sold out (to show in a failure). */
async function order(items: { sku: string; quantity: number }[]): Promise<{ status: number; body?: string }> {
  const response = await fetch(`${stack.urls.api}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items, paymentMethod: 'card' }),
  });
  const body = await response.text();
  return [201, 409].includes(response.status)
    ? { status: response.status }
    : { status: response.status, body };
}

afterAll(async () => {
  await products.remove();
  await db.end();
});

describe('concurrent orders', () => {
  it('50 buyers for 10 units: exactly 10 paid orders, stock ends at 0 and never below', async () => {
    const sku = await products.create(10);
    const replies = await Promise.all(Array.from({ length: 50 }, () => order([{ sku, quantity: 1 }])));

    expect(replies.filter((r) => r.body !== undefined)).toEqual([]);
    const count = (status: number) => replies.filter((r) => r.status === status).length;
    expect({ created: count(201), soldOut: count(409) }).toEqual({ created: 10, soldOut: 40 });
    expect(await stockOf(sku)).toBe(0);
    // Never below: the table refuses it (23514, the CHECK on stock), whatever a race would try.
    await expect(db`UPDATE products SET stock = stock - 1 WHERE sku = ${sku}`).rejects.toMatchObject({
      code: '23514',
    });
    const [paid] = await db<{ orders: number; units: number }[]>`
      SELECT count(*)::int AS orders, coalesce(sum(i.quantity), 0)::int AS units
      FROM orders o JOIN order_items i ON i.order_id = o.id
      WHERE i.sku = ${sku} AND o.status = 'paid'`;
    expect(paid).toEqual({ orders: count(201), units: 10 });
  });

  it('orders naming the same two products in opposite order all succeed (no deadlock)', async () => {
    const first = await products.create(20);
    const second = await products.create(20);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        order(
          i % 2 === 0
            ? [
                { sku: first, quantity: 1 },
                { sku: second, quantity: 1 },
              ]
            : [
                { sku: second, quantity: 1 },
                { sku: first, quantity: 1 },
              ],
        ),
      ),
    );
    expect(replies.filter((r) => r.status !== 201)).toEqual([]);
    expect([await stockOf(first), await stockOf(second)]).toEqual([0, 0]);
  });
});
