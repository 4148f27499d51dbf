import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { recordedLogs } from './support/loki.ts';
import { badItemLists } from './support/bad-items.ts';
import { expectEnvelope, postJson } from './support/http.ts';
import { testProducts } from './support/products.ts';
import { resetFaults, setFaults as setStackFaults } from './support/faults.ts';
import { sql } from './support/stack.ts';
import { waitFor } from './support/wait-for.ts';

const stack = inject('stack');
const apiUrl = stack.urls.api;
const db = sql(stack);
const products = testProducts(db, 'T-ORD', 'test/orders.test.ts');
const { stockOf, runTag } = products;

/** Orders that contain the sku, with their payment, oldest first. */
function ordersFor(sku: string) {
  return db<
    {
      status: string;
      total_cents: number;
      customer_email: string | null;
      payment_status: string;
      reason: string | null;
    }[]
  >`
    SELECT o.status, o.total_cents, o.customer_email, p.status AS payment_status, p.reason
    FROM orders o JOIN order_items i ON i.order_id = o.id JOIN payments p ON p.order_id = o.id
    WHERE i.sku = ${sku} ORDER BY o.created_at`;
}

const placeOrder = (body: unknown, headers: Record<string, string> = {}) =>
  postJson(`${apiUrl}/api/orders`, body, headers);

const setFaults = (service: 'payment' | 'inventory', faults: Record<string, number>) =>
  setStackFaults(stack, service, faults);

afterEach(() => resetFaults(stack, ['payment', 'inventory']));

afterAll(async () => {
  await products.remove();
  await db.end();
});

describe('POST /api/orders', () => {
  it('places a paid order: 201 after the order, its items and its payment are committed', async () => {
    const shoes = await products.create(5);
    const socks = await products.create(5);
    const response = await placeOrder({
      items: [
        { sku: shoes, quantity: 2 },
        { sku: socks, quantity: 1 },
      ],
      paymentMethod: 'card',
      customerEmail: 'buyer@example.com',
    });
    expect(response.status).toBe(201);
    const { order } = (await response.json()) as { order: { id: string } };
    expect(order).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'paid',
      totalCents: 3750,
      currency: 'USD',
      items: [
        { sku: shoes, quantity: 2, unitPriceCents: 1250 },
        { sku: socks, quantity: 1, unitPriceCents: 1250 },
      ],
    });
    expect([await stockOf(shoes), await stockOf(socks)]).toEqual([3, 4]);
    const [row] = await db`
      SELECT o.status, o.total_cents, o.customer_email, p.status AS payment_status, p.amount_cents,
             p.method, p.gateway_ref, (SELECT count(*)::int FROM order_items WHERE order_id = o.id) AS lines
      FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.id = ${order.id}`;
    expect(row).toEqual({
      status: 'paid',
      total_cents: 3750,
      customer_email: 'buyer@example.com',
      payment_status: 'succeeded',
      amount_cents: 3750,
      method: 'card',
      gateway_ref: expect.stringMatching(/^gw_/),
      lines: 2,
    });
  });

  it('answers 402 for a declined card, records the declined order and releases the stock', async () => {
    const sku = await products.create(4);
    const response = await placeOrder({
      items: [{ sku, quantity: 3 }],
      paymentMethod: 'paypal',
      paymentToken: 'tok_decline',
    });
    await expectEnvelope(response, 402, 'payment_declined');
    expect(await stockOf(sku)).toBe(4);
    expect(await ordersFor(sku)).toEqual([
      expect.objectContaining({ status: 'declined', total_cents: 3750, payment_status: 'declined' }),
    ]);
  });

  it('answers 502 when the payment gateway fails, records the failed order and releases the stock', async () => {
    const sku = await products.create(4);
    expect((await setFaults('payment', { gatewayFailureRate: 1 })).status).toBe(200);
    const response = await placeOrder({ items: [{ sku, quantity: 2 }], paymentMethod: 'apple_pay' });
    expect(await expectEnvelope(response, 502, 'payment_gateway_error')).toMatch(/gateway failed/);
    expect(await stockOf(sku)).toBe(4);
    const [order] = await ordersFor(sku);
    expect(order).toMatchObject({ status: 'failed', payment_status: 'failed' });
    expect(order!.reason).toMatch(/gateway failed/);
  });

  it('answers 503 when the payment service itself fails, and releases the stock', async () => {
    const sku = await products.create(4);
    await setFaults('payment', { errorRate: 1 });
    const response = await placeOrder({ items: [{ sku, quantity: 1 }], paymentMethod: 'card' });
    await expectEnvelope(response, 503, 'payment_unavailable');
    expect(await stockOf(sku)).toBe(4);
    expect(await ordersFor(sku)).toEqual([expect.objectContaining({ status: 'failed' })]);
  });

  it('answers 503 when the inventory service fails, and takes no stock', async () => {
    const sku = await products.create(4);
    await setFaults('inventory', { errorRate: 1 });
    const response = await placeOrder({ items: [{ sku, quantity: 1 }], paymentMethod: 'card' });
    await expectEnvelope(response, 503, 'inventory_unavailable');
    expect(await stockOf(sku)).toBe(4);
    expect(await ordersFor(sku)).toEqual([]);
  });

  it('honours the caller deadline: too little time left answers 504 and takes nothing', async () => {
    const sku = await products.create(4);
    const response = await placeOrder(
      { items: [{ sku, quantity: 1 }], paymentMethod: 'card' },
      { 'x-request-timeout-ms': '1000' },
    );
    // 1 s is less than the clean-up the api keeps in hand (1.5 s): it starts nothing.
    await expectEnvelope(response, 504, 'deadline_exceeded');
    expect(await stockOf(sku)).toBe(4);
    expect(await ordersFor(sku)).toEqual([]);
  });

  it('gives inventory and payment only what is left: a charge slower than the deadline is voided', async () => {
    const sku = await products.create(4);
    await setFaults('payment', { latencyMs: 2_000 });
    const started = performance.now();
    const response = await placeOrder(
      { items: [{ sku, quantity: 1 }], paymentMethod: 'card' },
      { 'x-request-timeout-ms': '3000' },
    );
    await expectEnvelope(response, 503, 'payment_unavailable');
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(await stockOf(sku)).toBe(4);
    expect(await ordersFor(sku)).toEqual([
      expect.objectContaining({ status: 'failed', payment_status: 'failed' }),
    ]);
  });

  it('answers 409 insufficient_stock when sold out, and takes nothing', async () => {
    const plenty = await products.create(10);
    const scarce = await products.create(1);
    const response = await placeOrder({
      items: [
        { sku: plenty, quantity: 1 },
        { sku: scarce, quantity: 2 },
      ],
      paymentMethod: 'card',
    });
    expect(await expectEnvelope(response, 409, 'insufficient_stock')).toContain(scarce);
    expect([await stockOf(plenty), await stockOf(scarce)]).toEqual([10, 1]);
    expect(await ordersFor(plenty)).toEqual([]);
  });

  it('answers 404 for an unknown sku', async () => {
    const sku = await products.create(3);
    const response = await placeOrder({
      items: [
        { sku, quantity: 1 },
        { sku: `NO-SUCH-${runTag}`, quantity: 1 },
      ],
      paymentMethod: 'card',
    });
    expect(await expectEnvelope(response, 404, 'unknown_sku')).toContain(`NO-SUCH-${runTag}`);
    expect(await stockOf(sku)).toBe(3);
  });

  it('passes its request id to inventory and payment so their log lines correlate', async () => {
    const sku = await products.create(2);
    const requestId = `orders-test-${randomUUID()}`;
    const response = await placeOrder(
      { items: [{ sku, quantity: 1 }], paymentMethod: 'card' },
      { 'x-request-id': requestId },
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const services = await waitFor('log lines of the order from api, inventory and payment', async () => {
      const lines = await recordedLogs(inject('lokiRecorderUrl'));
      const seen = new Set(
        lines.filter((l) => l.fields.requestId === requestId).map((l) => l.labels.service),
      );
      return seen.size === 3 && seen;
    });
    expect([...services].sort()).toEqual(['api', 'inventory', 'payment']);
  });

  it('counts each outcome in orders_total and paid values in order_value_cents', async () => {
    const read = async () => {
      const text = await (await fetch(`${apiUrl}/metrics`)).text();
      const value = (series: string) => Number(new RegExp(`^${series} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
      return {
        paid: value('orders_total\\{status="paid",service="api"\\}'),
        declined: value('orders_total\\{status="declined",service="api"\\}'),
        rejected: value('orders_total\\{status="rejected",service="api"\\}'),
        values: value('order_value_cents_count\\{service="api"\\}'),
      };
    };
    const sku = await products.create(1);
    const before = await read();
    await placeOrder({ items: [{ sku, quantity: 1 }], paymentMethod: 'card', paymentToken: 'tok_decline' });
    await placeOrder({ items: [{ sku, quantity: 1 }], paymentMethod: 'card' });
    await placeOrder({ items: [{ sku, quantity: 1 }], paymentMethod: 'card' });
    expect(await read()).toEqual({
      paid: before.paid + 1,
      declined: before.declined + 1,
      rejected: before.rejected + 1,
      values: before.values + 1,
    });
  });
});

describe('POST /api/orders with bad input', () => {
  const order = (items: unknown, extra: Record<string, unknown> = {}) => ({
    items,
    paymentMethod: 'card',
    ...extra,
  });
  const cases: [string, unknown, number, string][] = [
    ['malformed JSON', '{"items": [{"sku": "SF-1001"', 400, 'bad_request'],
    ['a JSON string instead of an object', '"order"', 400, 'invalid_body'],
    ['missing items', { paymentMethod: 'card' }, 400, 'invalid_body'],
    ['missing paymentMethod', { items: [{ sku: 'SF-1001', quantity: 1 }] }, 400, 'invalid_body'],
    [
      'an unknown paymentMethod',
      order([{ sku: 'SF-1001', quantity: 1 }], { paymentMethod: 'cash' }),
      400,
      'invalid_body',
    ],
    ...badItemLists().map(([name, items]): [string, unknown, number, string] => [
      name,
      order(items),
      400,
      'invalid_body',
    ]),
    [
      'a malformed customerEmail',
      order([{ sku: 'SF-1001', quantity: 1 }], { customerEmail: 'not-an-email' }),
      400,
      'invalid_body',
    ],
  ];

  it.each(cases)('rejects %s', async (_, body, status, code) => {
    await expectEnvelope(await placeOrder(body), status, code);
  });

  it('rejects a body that is not JSON with 415', async () => {
    const response = await fetch(`${apiUrl}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'sku=SF-1001&quantity=1',
    });
    await expectEnvelope(response, 415, 'unsupported_media_type');
  });

  it('rejects a body over 64 KB with 413', async () => {
    const response = await placeOrder(
      order([{ sku: 'SF-1001', quantity: 1 }], { customerEmail: 'x'.repeat(70_000) }),
    );
    await expectEnvelope(response, 413, 'payload_too_large');
  });

  it('rejects an order whose total exceeds what the payment service accepts', async () => {
    const sku = await products.create(100);
    await db`UPDATE products SET price_cents = 2000000 WHERE sku = ${sku}`;
    const response = await placeOrder(order([{ sku, quantity: 100 }]));
    await expectEnvelope(response, 400, 'order_too_large');
    expect(await stockOf(sku)).toBe(100);
  });
});
