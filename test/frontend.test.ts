import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from './support/stack.ts';

// The frontend as a shopper meets it: real pages over HTTP, rendered from PostgreSQL through the api,
// and a checkout through the form that leaves a paid order in the database.
const stack = inject('stack');
const frontendUrl = stack.urls.frontend;
const db = sql(stack);
const runTag = randomUUID().slice(0, 8);
const sku = `T-FE-${runTag}`;
const priceCents = 1234;
const html = { accept: 'text/html' };

beforeAll(async () => {
  await db`
    INSERT INTO products (sku, name, description, price_cents, stock, seed_stock, low_stock_threshold)
    VALUES (${sku}, ${`Frontend test mug ${runTag}`}, 'Created by test/frontend.test.ts', ${priceCents}, 3, 3, 1)`;
});

afterAll(async () => {
  await db`DELETE FROM orders WHERE id IN (SELECT order_id FROM order_items WHERE sku = ${sku})`;
  await db`DELETE FROM products WHERE sku = ${sku}`;
  await db.end();
});

async function pageViews(page: string): Promise<number> {
  const text = await (await fetch(`${frontendUrl}/metrics`)).text();
  const line = text.match(
    new RegExp(`^page_views_total\\{page="${page}",service="frontend"\\} (\\d+)$`, 'm'),
  );
  return Number(line?.[1]);
}

function checkout(fields: Record<string, string>) {
  return fetch(`${frontendUrl}/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...html },
    body: new URLSearchParams(fields),
  });
}

describe('frontend pages on the live stack', () => {
  it('home renders every product in PostgreSQL, through the api', async () => {
    const before = await pageViews('home');
    const res = await fetch(`${frontendUrl}/`, { headers: html });
    expect(res.status).toBe(200);
    const page = await res.text();
    const rows = await db<{ sku: string }[]>`SELECT sku FROM products ORDER BY sku`;
    const shown = [...page.matchAll(/class="card product" data-sku="([^"]+)"/g)].map((m) => m[1]);
    expect(shown).toEqual(rows.map((r) => r.sku));
    expect(page).toContain(`Frontend test mug ${runTag}`);
    expect(page).toContain('$12.34');
    expect(await pageViews('home')).toBe(before + 1);
  });

  it('product page shows the product, and unknown or malformed skus get 404 and 400 pages', async () => {
    const page = await (await fetch(`${frontendUrl}/products/${sku}`, { headers: html })).text();
    expect(page).toContain(`name="sku" value="${sku}"`);
    expect(page).toContain('3 in stock');
    const missing = await fetch(`${frontendUrl}/products/T-FE-${runTag}-missing`, { headers: html });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await fetch(`${frontendUrl}/products/bad%20sku`, { headers: html })).status).toBe(400);
  });

  it('a checkout through the form creates a paid order, and a second one finds the product sold out', async () => {
    const res = await checkout({ sku, quantity: '2', email: `fe-${runTag}@example.com` });
    const page = await res.text();
    expect(res.status, page).toBe(201);
    const orderId = page.match(/data-order-id="([0-9a-f-]{36})"/)?.[1];
    expect(orderId).toBeDefined();

    const [order] = await db<{ status: string; total_cents: number; customer_email: string }[]>`
      SELECT status, total_cents, customer_email FROM orders WHERE id = ${orderId!}`;
    expect(order).toEqual({
      status: 'paid',
      total_cents: 2 * priceCents,
      customer_email: `fe-${runTag}@example.com`,
    });
    const items = await db`SELECT sku, quantity FROM order_items WHERE order_id = ${orderId!}`;
    expect(items.map((i) => ({ ...i }))).toEqual([{ sku, quantity: 2 }]);
    const [stock] = await db<{ stock: number }[]>`SELECT stock FROM products WHERE sku = ${sku}`;
    expect(stock!.stock).toBe(1);

    const soldOut = await checkout({ sku, quantity: '2', email: `fe-${runTag}@example.com` });
    expect(soldOut.status).toBe(409);
    expect(await soldOut.text()).toContain('<h1>Sold out</h1>');
    const [after] = await db<{ stock: number }[]>`SELECT stock FROM products WHERE sku = ${sku}`;
    expect(after!.stock).toBe(1);
  });

  it('a bad form gets a 400 page and never reaches the api', async () => {
    const countOrders = async () => (await db<{ n: number }[]>`SELECT count(*)::int AS n FROM orders`)[0]!.n;
    const before = await countOrders();
    const res = await checkout({ sku, quantity: '0', email: 'nobody' });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('quantity: must be at least 1');
    expect(page).toContain('email: must be a valid email address');
    expect(await countOrders()).toBe(before);
  });

  it('is ready while the api answers and the kept incidents are back on the status page', async () => {
    const res = await fetch(`${frontendUrl}/ready`);
    expect(await res.json()).toEqual({ status: 'ready', checks: { api: 'ok', incidents: 'ok' } });
  });
});
