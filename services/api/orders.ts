import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { z } from 'zod';
import { HttpError, jsonBody, type KitEnv, type Sql } from '../kit/index.ts';
import { stockLines, type StockLine } from '../inventory/schemas.ts';
import { maxAmountCents as maxOrderCents, paymentMethods } from '../payment/app.ts';
import { envelopeMessage, type Downstream } from './downstream.ts';
import type { ApiMetrics, OrderOutcome } from './metrics.ts';

export interface OrderDeps {
  sql: Sql;
  inventory: Downstream;
  payment: Downstream;
  metrics: ApiMetrics;
}

const orderRequest = z.object({
  items: stockLines,
  paymentMethod: z.enum(paymentMethods),
  customerEmail: z.email().max(254).optional(),
  paymentToken: z.string().min(1).max(200).optional(),
});
type OrderRequest = z.infer<typeof orderRequest>;

const currency = 'USD';

interface PricedLine extends StockLine {
  unitPriceCents: number;
}

/** What the payment service said, reduced to what the order records. */
type Charge =
  | { status: 'paid'; paymentId: string; gatewayRef: string }
  | { status: 'declined' | 'failed'; reason: string; error: HttpError };

const paymentCreated = z.object({ payment: z.object({ id: z.uuid(), gatewayRef: z.string() }) });

/** Which orders_total status a failed order counts under. */
function outcomeOf(err: unknown): OrderOutcome {
  if (err instanceof HttpError && err.status === 402) return 'declined';
  if (err instanceof HttpError && err.status < 500) return 'rejected';
  return 'failed';
}

async function priceLines(sql: Sql, lines: StockLine[]): Promise<PricedLine[]> {
  const skus = lines.map((l) => l.sku);
  const rows = await sql<{ sku: string; price_cents: number }[]>`
    SELECT sku, price_cents FROM products WHERE sku = ANY(${skus})`;
  const prices = new Map(rows.map((r) => [r.sku, r.price_cents]));
  const unknown = skus.filter((sku) => !prices.has(sku));
  if (unknown.length > 0) throw new HttpError(404, 'unknown_sku', `Unknown sku: ${unknown.join(', ')}`);
  return lines.map((l) => ({ ...l, unitPriceCents: prices.get(l.sku)! }));
}

export function registerOrderRoutes(
  app: Hono<KitEnv>,
  { sql, inventory, payment, metrics }: OrderDeps,
): void {
  async function reserveStock(lines: StockLine[], requestId: string): Promise<void> {
    const reply = await inventory.post('/inventory/reserve', { items: lines }, requestId);
    if (reply.status === 200) return;
    const message = envelopeMessage(reply.body) ?? `inventory answered ${reply.status}`;
    if (reply.status === 409) throw new HttpError(409, 'insufficient_stock', message);
    if (reply.status === 404) throw new HttpError(404, 'unknown_sku', message);
    throw new HttpError(503, 'inventory_unavailable', `The inventory service failed: ${message}`);
  }

  /** Best effort: the order has already failed, so a failed release is logged, not thrown. */
  async function releaseStock(lines: StockLine[], requestId: string, log: Logger): Promise<void> {
    try {
      const reply = await inventory.post('/inventory/release', { items: lines }, requestId);
      if (reply.status !== 200)
        log.error({ items: lines, status: reply.status, body: reply.body }, 'stock release failed');
    } catch (err) {
      log.error({ items: lines, err }, 'stock release failed');
    }
  }

  async function charge(
    orderId: string,
    order: OrderRequest,
    amountCents: number,
    requestId: string,
  ): Promise<Charge> {
    const body = { orderId, amountCents, currency, method: order.paymentMethod, token: order.paymentToken };
    let reply;
    try {
      reply = await payment.post('/payments', body, requestId);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return { status: 'failed', reason: err.message, error: err };
    }
    const created = paymentCreated.safeParse(reply.body);
    if (reply.status === 201 && created.success) {
      return {
        status: 'paid',
        paymentId: created.data.payment.id,
        gatewayRef: created.data.payment.gatewayRef,
      };
    }
    const reason = envelopeMessage(reply.body) ?? `payment answered ${reply.status}`;
    if (reply.status === 402) {
      return { status: 'declined', reason, error: new HttpError(402, 'payment_declined', reason) };
    }
    if (reply.status === 502) {
      return { status: 'failed', reason, error: new HttpError(502, 'payment_gateway_error', reason) };
    }
    const error = new HttpError(503, 'payment_unavailable', `The payment service failed: ${reason}`);
    return { status: 'failed', reason, error };
  }

  /**
   * The order, its items and its payment land together or not at all: one statement (constraints
   * are checked at its end), one round trip to PostgreSQL.
   */
  async function recordOrder(
    orderId: string,
    order: OrderRequest,
    lines: PricedLine[],
    totalCents: number,
    outcome: Charge,
  ) {
    const paid = outcome.status === 'paid';
    await sql`
      WITH new_order AS (
        INSERT INTO orders (id, status, total_cents, currency, customer_email)
        VALUES (${orderId}, ${outcome.status}, ${totalCents}, ${currency}, ${order.customerEmail ?? null})
      ), new_items AS (
        INSERT INTO order_items (order_id, sku, quantity, unit_price_cents)
        SELECT ${orderId}::uuid, sku, quantity, unit_price_cents
        FROM unnest(${lines.map((l) => l.sku)}::text[], ${lines.map((l) => l.quantity)}::int[],
                    ${lines.map((l) => l.unitPriceCents)}::int[]) AS i(sku, quantity, unit_price_cents)
      )
      INSERT INTO payments (id, order_id, amount_cents, currency, method, status, gateway_ref, reason)
      VALUES (${paid ? outcome.paymentId : randomUUID()}, ${orderId}, ${totalCents}, ${currency},
              ${order.paymentMethod}, ${paid ? 'succeeded' : outcome.status},
              ${paid ? outcome.gatewayRef : null}, ${paid ? null : outcome.reason})`;
  }

  /**
   * Reserve → charge → record. Stock stays taken only once a paid order is committed; every other
   * way out (declined, gateway failure, a service or the database gone) releases it again.
   */
  async function placeOrder(order: OrderRequest, requestId: string, log: Logger) {
    const lines = await priceLines(sql, order.items);
    const totalCents = lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
    if (totalCents > maxOrderCents) {
      throw new HttpError(
        400,
        'order_too_large',
        `Orders are limited to ${maxOrderCents} cents; this one is ${totalCents}`,
      );
    }
    const orderId = randomUUID();
    await reserveStock(order.items, requestId);
    let committed = false;
    try {
      const outcome = await charge(orderId, order, totalCents, requestId);
      await recordOrder(orderId, order, lines, totalCents, outcome);
      if (outcome.status !== 'paid') {
        log.warn({ orderId, status: outcome.status, reason: outcome.reason }, `order ${outcome.status}`);
        throw outcome.error;
      }
      committed = true;
    } finally {
      if (!committed) await releaseStock(order.items, requestId, log);
    }
    log.info({ orderId, totalCents, items: lines.length }, 'order placed');
    return { id: orderId, status: 'paid' as const, totalCents, currency, items: lines };
  }

  app.post('/api/orders', jsonBody(orderRequest), async (c) => {
    try {
      const order = await placeOrder(c.req.valid('json'), c.get('requestId'), c.get('logger'));
      metrics.orders.inc({ status: 'paid' });
      metrics.orderValue.observe(order.totalCents);
      return c.json({ order }, 201);
    } catch (err) {
      metrics.orders.inc({ status: outcomeOf(err) });
      throw err;
    }
  });
}
