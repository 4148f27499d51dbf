import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { recordedLogs } from './support/loki.ts';
import { badItemLists } from './support/bad-items.ts';
import { expectEnvelope, postJson } from './support/http.ts';
import { testProducts } from './support/products.ts';
import { resetFaults, setFaults } from './support/faults.ts';
import { adminHeaders, sql } from './support/stack.ts';
import { waitFor } from './support/wait-for.ts';

const stack = inject('stack');
const inventoryUrl = stack.urls.inventory;
const db = sql(stack);
const products = testProducts(db, 'T-INV', 'test/inventory.test.ts');
const { stockOf, runTag } = products;

async function countOf(query: PromiseLike<readonly { n: number }[]>): Promise<number> {
  const [row] = await query;
  return row!.n;
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  postJson(`${inventoryUrl}${path}`, body, headers);

type Lines = { sku: string; quantity: number }[];

/** Reserves for a fresh order id (or the one given), held for a minute unless told otherwise. */
const reserve = (items: Lines, { orderId = randomUUID(), holdMs = 60_000, headers = {} } = {}) =>
  post('/inventory/reserve', { orderId, items, holdMs }, headers);
const release = (orderId: string) => post('/inventory/release', { orderId });

function reservationOf(orderId: string) {
  return db<{ status: string; items: number }[]>`
    SELECT r.status, (SELECT count(*)::int FROM stock_reservation_items i WHERE i.order_id = r.order_id) AS items
    FROM stock_reservations r WHERE r.order_id = ${orderId}`;
}

afterAll(async () => {
  await products.remove();
  await db.end();
});

describe('inventory reads', () => {
  let sku: string;
  beforeAll(async () => {
    sku = await products.create(7, { lowStockThreshold: 2 });
  });

  it('lists every product with its stock, threshold and seed stock', async () => {
    const response = await fetch(`${inventoryUrl}/inventory`);
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: { sku: string }[] };
    expect(items).toContainEqual({ sku, stock: 7, lowStockThreshold: 2, seedStock: 7 });
    expect(items.map((i) => i.sku)).toContain('SF-1001');
  });

  it('answers one product, 404 for an unknown sku and 400 for a malformed one', async () => {
    const found = await fetch(`${inventoryUrl}/inventory/${sku}`);
    expect(found.status).toBe(200);
    expect(await found.json()).toEqual({ item: { sku, stock: 7, lowStockThreshold: 2, seedStock: 7 } });
    await expectEnvelope(await fetch(`${inventoryUrl}/inventory/NO-SUCH-${runTag}`), 404, 'unknown_sku');
    await expectEnvelope(await fetch(`${inventoryUrl}/inventory/bad%20sku!`), 400, 'invalid_parameter');
  });

  it('is ready while PostgreSQL answers', async () => {
    const response = await fetch(`${inventoryUrl}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { postgres: 'ok' } });
  });
});

describe('POST /inventory/reserve', () => {
  it('takes the stock for the order and answers the reservation and the new levels', async () => {
    const sku = await products.create(10);
    const orderId = randomUUID();
    const response = await reserve([{ sku, quantity: 4 }], { orderId });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      reservation: { orderId, status: 'held', items: [{ sku, quantity: 4 }], expiresAt: expect.any(String) },
      items: [{ sku, stock: 6, lowStockThreshold: 3, seedStock: 10 }],
    });
    expect(await stockOf(sku)).toBe(6);
  });

  it('reserves all items or none: one short line leaves every product untouched', async () => {
    const plenty = await products.create(10);
    const scarce = await products.create(1);
    const orderId = randomUUID();
    const response = await reserve(
      [
        { sku: plenty, quantity: 2 },
        { sku: scarce, quantity: 2 },
      ],
      { orderId },
    );
    const message = await expectEnvelope(response, 409, 'insufficient_stock');
    expect(await reservationOf(orderId)).toEqual([]);
    expect(message).toContain(scarce);
    expect([await stockOf(plenty), await stockOf(scarce)]).toEqual([10, 1]);
  });

  it('answers 404 for an unknown sku and changes nothing', async () => {
    const sku = await products.create(5);
    const response = await reserve([
      { sku, quantity: 1 },
      { sku: `NO-SUCH-${runTag}`, quantity: 1 },
    ]);
    expect(await expectEnvelope(response, 404, 'unknown_sku')).toContain(`NO-SUCH-${runTag}`);
    expect(await stockOf(sku)).toBe(5);
  });

  it('lets exactly one of two buyers racing for the last unit win, every time', async () => {
    const skus = await Promise.all(Array.from({ length: 5 }, () => products.create(1)));
    const responses = await Promise.all(
      skus.flatMap((sku) => [1, 2].map(() => reserve([{ sku, quantity: 1 }]))),
    );
    const statuses = responses.map((r) => r.status);
    await Promise.all(responses.map((r) => r.body?.cancel()));
    for (let i = 0; i < skus.length; i++) {
      expect(statuses.slice(2 * i, 2 * i + 2).sort()).toEqual([200, 409]);
      expect(await stockOf(skus[i]!)).toBe(0);
    }
  });

  it('logs "product stock low" once, when the stock crosses the threshold downward', async () => {
    const sku = await products.create(5, { lowStockThreshold: 3 });
    for (const quantity of [1, 2, 1]) {
      expect((await reserve([{ sku, quantity }])).status).toBe(200);
    }
    // The last reserve's access line arriving means every earlier line has been pushed too.
    const lastId = `inventory-test-${randomUUID()}`;
    await reserve([{ sku, quantity: 1 }], { headers: { 'x-request-id': lastId } });
    const logs = await waitFor('the last reserve in the Loki recorder', async () => {
      const lines = await recordedLogs(inject('lokiRecorderUrl'), 'inventory');
      return lines.some((l) => l.fields.requestId === lastId) && lines;
    });
    const lowLines = logs.filter((l) => l.fields.msg === 'product stock low' && l.fields.sku === sku);
    expect(lowLines.map((l) => [l.labels.level, l.fields.stock, l.fields.threshold])).toEqual([
      ['warning', 2, 3],
    ]);
  });
});

describe('reservations keyed by order id', () => {
  it('a repeated reserve changes nothing twice and answers the same reservation', async () => {
    const sku = await products.create(10);
    const orderId = randomUUID();
    const replies = await Promise.all([1, 2, 3].map(() => reserve([{ sku, quantity: 3 }], { orderId })));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    const bodies = (await Promise.all(replies.map((r) => r.json()))) as { reservation: unknown }[];
    expect(new Set(bodies.map((b) => JSON.stringify(b.reservation))).size).toBe(1);
    expect(await stockOf(sku)).toBe(7);
    expect(await reservationOf(orderId)).toEqual([{ status: 'held', items: 1 }]);
  });

  it('refuses the same order id with other items (409 order_id_reused) and takes nothing', async () => {
    const sku = await products.create(10);
    const orderId = randomUUID();
    await reserve([{ sku, quantity: 1 }], { orderId });
    await expectEnvelope(await reserve([{ sku, quantity: 2 }], { orderId }), 409, 'order_id_reused');
    expect(await stockOf(sku)).toBe(9);
  });

  it('a repeated release gives the units back once', async () => {
    const sku = await products.create(5);
    const orderId = randomUUID();
    await reserve([{ sku, quantity: 4 }], { orderId });
    const replies = await Promise.all([1, 2, 3].map(() => release(orderId)));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await stockOf(sku)).toBe(5);
    const body = (await replies[0]!.json()) as { reservation: { status: string } };
    expect(body.reservation.status).toBe('released');
  });

  it('a reserve arriving after its release takes nothing (409 reservation_closed)', async () => {
    const sku = await products.create(5);
    const orderId = randomUUID();
    expect((await release(orderId)).status).toBe(200);
    await expectEnvelope(await reserve([{ sku, quantity: 2 }], { orderId }), 409, 'reservation_closed');
    expect(await stockOf(sku)).toBe(5);
    expect(await reservationOf(orderId)).toEqual([{ status: 'released', items: 0 }]);
  });

  it('a reservation left behind expires by itself and gives its units back', async () => {
    const sku = await products.create(6);
    const orderId = randomUUID();
    expect((await reserve([{ sku, quantity: 5 }], { orderId, holdMs: 500 })).status).toBe(200);
    expect(await stockOf(sku)).toBe(1);
    await waitFor('the reservation to expire', async () => (await stockOf(sku)) === 6, { timeoutMs: 5_000 });
    expect(await reservationOf(orderId)).toEqual([{ status: 'expired', items: 1 }]);
    // Expired is final: neither a release nor a repeated reserve moves the units again.
    expect((await release(orderId)).status).toBe(200);
    await expectEnvelope(await reserve([{ sku, quantity: 5 }], { orderId }), 409, 'reservation_closed');
    expect(await stockOf(sku)).toBe(6);
  });

  it('answers 504 and takes nothing when the caller has already stopped waiting', async () => {
    const sku = await products.create(5);
    const orderId = randomUUID();
    await setFaults(stack, 'inventory', { latencyMs: 300 });
    try {
      const response = await reserve([{ sku, quantity: 1 }], {
        orderId,
        headers: { 'x-request-timeout-ms': '100' },
      });
      await expectEnvelope(response, 504, 'deadline_exceeded');
    } finally {
      await resetFaults(stack, ['inventory']);
    }
    expect(await stockOf(sku)).toBe(5);
    expect(await reservationOf(orderId)).toEqual([]);
  });
});

describe('POST /inventory/restock', () => {
  it('restock adds units to one product', async () => {
    const sku = await products.create(0);
    const response = await post('/inventory/restock', { sku, quantity: 25 });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ item: { sku, stock: 25, lowStockThreshold: 3, seedStock: 0 } });
    await expectEnvelope(
      await post('/inventory/restock', { sku: `NO-SUCH-${runTag}`, quantity: 1 }),
      404,
      'unknown_sku',
    );
    await expectEnvelope(await post('/inventory/restock', { sku, quantity: 0 }), 400, 'invalid_body');
    await expectEnvelope(await post('/inventory/restock', { sku, quantity: 100_001 }), 400, 'invalid_body');
    await expectEnvelope(await post('/inventory/restock', { sku }), 400, 'invalid_body');
    expect(await stockOf(sku)).toBe(25);
  });
});

describe('bad input', () => {
  const line = (quantity: unknown, sku: unknown = 'SF-1001') => ({ items: [{ sku, quantity }] });
  const cases: [string, unknown, number, string][] = [
    ['malformed JSON', '{"items": [', 400, 'bad_request'],
    ['a JSON array instead of an object', '[]', 400, 'invalid_body'],
    ['missing items', {}, 400, 'invalid_body'],
    ...badItemLists().map(([name, items]): [string, unknown, number, string] => [
      name,
      { orderId: randomUUID(), items, holdMs: 60_000 },
      400,
      'invalid_body',
    ]),
    ['a missing orderId', { items: [{ sku: 'SF-1001', quantity: 1 }], holdMs: 60_000 }, 400, 'invalid_body'],
    [
      'an orderId that is not a uuid',
      { orderId: '42', items: [{ sku: 'SF-1001', quantity: 1 }], holdMs: 60_000 },
      400,
      'invalid_body',
    ],
    [
      'a missing holdMs',
      { orderId: randomUUID(), items: [{ sku: 'SF-1001', quantity: 1 }] },
      400,
      'invalid_body',
    ],
    [
      'a holdMs over 10 minutes',
      { orderId: randomUUID(), items: [{ sku: 'SF-1001', quantity: 1 }], holdMs: 600_001 },
      400,
      'invalid_body',
    ],
  ];

  it.each(cases)('reserve rejects %s', async (_, body, status, code) => {
    await expectEnvelope(await post('/inventory/reserve', body), status, code);
  });

  it.each([
    ['a missing orderId', {}],
    ['an orderId that is not a uuid', { orderId: 'SF-1001' }],
    ['items instead of an orderId', { items: [{ sku: 'SF-1001', quantity: 1 }] }],
  ])('release rejects %s', async (_, body) => {
    await expectEnvelope(await post('/inventory/release', body), 400, 'invalid_body');
  });

  it('rejects a body that is not JSON with 415', async () => {
    const response = await fetch(`${inventoryUrl}/inventory/reserve`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(line(1)),
    });
    await expectEnvelope(response, 415, 'unsupported_media_type');
  });

  it('rejects a body over 64 KB with 413', async () => {
    const items = Array.from({ length: 3_000 }, (_, i) => ({ sku: `SF-${i}`, quantity: 1 }));
    await expectEnvelope(await post('/inventory/reserve', { items }), 413, 'payload_too_large');
  });

  it('echoes the caller request id in errors', async () => {
    const response = await post('/inventory/reserve', {}, { 'x-request-id': 'inv-test-echo-1' });
    expect(response.headers.get('x-request-id')).toBe('inv-test-echo-1');
    expect(((await response.json()) as { requestId: string }).requestId).toBe('inv-test-echo-1');
  });
});

describe('POST /admin/stock/reset', () => {
  it('needs the admin token', async () => {
    await expectEnvelope(await post('/admin/stock/reset', {}), 401, 'unauthorized');
  });

  it('puts every product back to its seed stock', async () => {
    const sku = await products.create(8);
    const orderId = randomUUID();
    await reserve([{ sku, quantity: 5 }], { orderId });
    expect(await stockOf(sku)).toBe(3);
    const response = await post('/admin/stock/reset', {}, adminHeaders(stack));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      reset: await countOf(db`SELECT count(*)::int AS n FROM products`),
    });
    expect(await stockOf(sku)).toBe(8);
    expect(await countOf(db`SELECT count(*)::int AS n FROM products WHERE stock <> seed_stock`)).toBe(0);
    // The reset closed the held reservation: releasing it now must not add its units a second time.
    expect((await release(orderId)).status).toBe(200);
    expect(await stockOf(sku)).toBe(8);
  });
});

describe('stock gauges', () => {
  it('report each product and the number of low products, read at scrape time', async () => {
    const sku = await products.create(9, { lowStockThreshold: 4 });
    await reserve([{ sku, quantity: 6 }]);
    const text = await (await fetch(`${inventoryUrl}/metrics`)).text();
    expect(text).toContain(`inventory_stock_level{sku="${sku}",service="inventory"} 3`);
    const low = await countOf(db`SELECT count(*)::int AS n FROM products WHERE stock <= low_stock_threshold`);
    expect(text).toContain(`inventory_low_stock_products{service="inventory"} ${low}`);
    // A change made outside the service shows up at the next scrape.
    await db`UPDATE products SET stock = 42 WHERE sku = ${sku}`;
    expect(await (await fetch(`${inventoryUrl}/metrics`)).text()).toContain(
      `inventory_stock_level{sku="${sku}",service="inventory"} 42`,
    );
  });
});
