import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import type postgres from 'postgres';
import { orderRequest, type OrderRequest, type PlacedOrder } from '../../domain/contracts/orders.ts';
import { chargeReply, maxAmountCents as maxOrderCents } from '../../domain/contracts/payments.ts';
import type { StockLine } from '../../domain/contracts/stock.ts';
import { Deadline, HttpError, jsonBody, transactionBefore, type KitEnv, type Sql } from '../kit/index.ts';
import { envelopeOf, type Downstream } from './downstream.ts';
import type { ApiMetrics, OrderOutcome } from './metrics.ts';
import { cleanupCallMs, cleanupMs, holdMarginMs, type OrderTimeouts } from './order-timeouts.ts';

export interface OrderDeps {
  sql: Sql;
  inventory: Downstream;
  payment: Downstream;
  metrics: ApiMetrics;
  timeouts: OrderTimeouts;
}

const currency = 'USD';

interface PricedLine extends StockLine {
  unitPriceCents: number;
}

/** One order on its way: what every step needs to know about it. */
interface PendingOrder {
  id: string;
  request: OrderRequest;
  lines: PricedLine[];
  totalCents: number;
  /** How long inventory and payment hold the stock and the charge for it. */
  holdMs: number;
  requestId: string;
  log: Logger;
}

/**
 * What the payment service said, reduced to what the order records. `unknown` means no clear
 * answer came (timed out, refused, a 5xx): the charge may have happened, so it must be voided.
 */
type Charge =
  | { status: 'paid'; paymentId: string; gatewayRef: string }
  | { status: 'declined' | 'failed'; reason: string; error: HttpError; unknown: boolean };

/** Which orders_total status a failed order counts under. */
function outcomeOf(err: unknown): OrderOutcome {
  if (err instanceof HttpError && err.status === 402) return 'declined';
  if (err instanceof HttpError && err.status < 500) return 'rejected';
  return 'failed';
}

async function priceLines(sql: Sql, lines: StockLine[], deadline: Deadline): Promise<PricedLine[]> {
  const skus = lines.map((l) => l.sku);
  // A plain read (the connection's statement_timeout bounds it): one round trip on every order.
  deadline.throwIfExpired();
  const rows = await sql<{ sku: string; price_cents: number }[]>`
    SELECT sku, price_cents FROM products WHERE sku = ANY(${skus})`;
  const prices = new Map(rows.map((r) => [r.sku, r.price_cents]));
  const unknown = skus.filter((sku) => !prices.has(sku));
  if (unknown.length > 0) throw new HttpError(404, 'unknown_sku', `Unknown sku: ${unknown.join(', ')}`);
  return lines.map((l) => ({ ...l, unitPriceCents: prices.get(l.sku)! }));
}

/** The order, its items and its payment row, in one statement. */
function insertOrder(db: Sql | postgres.TransactionSql, order: PendingOrder, outcome: Charge) {
  const { id, request, lines, totalCents } = order;
  const paid = outcome.status === 'paid';
  return db`
    WITH new_order AS (
      INSERT INTO orders (id, status, total_cents, currency, customer_email)
      VALUES (${id}, ${outcome.status}, ${totalCents}, ${currency}, ${request.customerEmail ?? null})
    ), new_items AS (
      INSERT INTO order_items (order_id, sku, quantity, unit_price_cents)
      SELECT ${id}::uuid, sku, quantity, unit_price_cents
      FROM unnest(${lines.map((l) => l.sku)}::text[], ${lines.map((l) => l.quantity)}::int[],
                  ${lines.map((l) => l.unitPriceCents)}::int[]) AS i(sku, quantity, unit_price_cents)
    )
    INSERT INTO payments (id, order_id, amount_cents, currency, method, status, gateway_ref, reason)
    VALUES (${paid ? outcome.paymentId : randomUUID()}, ${id}, ${totalCents}, ${currency},
            ${request.paymentMethod}, ${paid ? 'succeeded' : outcome.status},
            ${paid ? outcome.gatewayRef : null}, ${paid ? null : outcome.reason})`;
}

export function registerOrderRoutes(
  app: Hono<KitEnv>,
  { sql, inventory, payment, metrics, timeouts }: OrderDeps,
): void {
  /** Throws when the stock is not held: 409/404 as inventory said, else 503 after releasing whatever it took. */
  async function reserveStock(order: PendingOrder, work: Deadline): Promise<void> {
    work.throwIfExpired();
    const body = { orderId: order.id, items: order.request.items, holdMs: order.holdMs };
    const reply = await inventory
      .post('/inventory/reserve', body, {
        requestId: order.requestId,
        timeoutMs: work.within(timeouts.inventoryMs).remainingMs(),
      })
      .catch((err: unknown) => ({ status: 0, body: undefined, err }));
    if (reply.status === 200) return;
    const { code, message = `inventory answered ${reply.status}` } = envelopeOf(reply.body);
    if (code === 'insufficient_stock' || code === 'unknown_sku') {
      throw new HttpError(reply.status === 404 ? 404 : 409, code, message);
    }
    // A late reserve may still land: the release closes the order id against it (or gives back what it took).
    await releaseStock(order);
    if ('err' in reply && reply.err instanceof HttpError) throw reply.err;
    throw new HttpError(503, 'inventory_unavailable', `The inventory service failed: ${message}`);
  }

  /** Best effort: a failed release is logged, and the reservation expires by itself. */
  async function releaseStock(order: PendingOrder): Promise<void> {
    const reply = await inventory
      .post(
        '/inventory/release',
        { orderId: order.id },
        { requestId: order.requestId, timeoutMs: cleanupCallMs },
      )
      .catch((err: unknown) => ({ status: 0, body: err }));
    if (reply.status !== 200)
      order.log.error(
        { status: reply.status, body: reply.body },
        'stock release failed; it expires by itself',
      );
  }

  /** Best effort: a failed void is logged, and the uncaptured charge expires by itself. */
  async function voidCharge(order: PendingOrder): Promise<void> {
    const reply = await payment
      .post('/payments/void', { orderId: order.id }, { requestId: order.requestId, timeoutMs: cleanupCallMs })
      .catch((err: unknown) => ({ status: 0, body: err }));
    if (reply.status !== 200)
      order.log.error(
        { status: reply.status, body: reply.body },
        'payment void failed; it expires by itself',
      );
  }

  async function charge(order: PendingOrder, work: Deadline): Promise<Charge> {
    const body = {
      orderId: order.id,
      amountCents: order.totalCents,
      currency,
      method: order.request.paymentMethod,
      token: order.request.paymentToken,
      holdMs: order.holdMs,
    };
    let reply;
    try {
      work.throwIfExpired();
      reply = await payment.post('/payments', body, {
        requestId: order.requestId,
        timeoutMs: work.within(timeouts.paymentMs).remainingMs(),
      });
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return { status: 'failed', reason: err.message, error: err, unknown: true };
    }
    const created = chargeReply.safeParse(reply.body);
    if (reply.status === 201 && created.success && created.data.payment.status === 'succeeded') {
      const { id, gatewayRef } = created.data.payment;
      return { status: 'paid', paymentId: id, gatewayRef: gatewayRef ?? '' };
    }
    const reason = envelopeOf(reply.body).message ?? `payment answered ${reply.status}`;
    if (reply.status === 402) {
      return {
        status: 'declined',
        reason,
        error: new HttpError(402, 'payment_declined', reason),
        unknown: false,
      };
    }
    if (reply.status === 502) {
      const error = new HttpError(502, 'payment_gateway_error', reason);
      return { status: 'failed', reason, error, unknown: false };
    }
    const error = new HttpError(503, 'payment_unavailable', `The payment service failed: ${reason}`);
    return { status: 'failed', reason, error, unknown: true };
  }

  /**
   * The one decision point: the paid order row, the reservation's commit and the charge's capture
   * land in ONE transaction, or none of them does. A reservation released or expired, or a charge
   * voided, in the meantime makes it roll back.
   */
  async function commitPaidOrder(order: PendingOrder, outcome: Charge, work: Deadline): Promise<void> {
    await transactionBefore(sql, work, async (tx) => {
      const [claim] = await tx<{ reserved: boolean; captured: boolean }[]>`
        SELECT commit_stock_reservation(${order.id}) AS reserved, capture_payment_charge(${order.id}) AS captured`;
      if (!claim?.reserved || !claim.captured) {
        throw new HttpError(
          503,
          'order_expired',
          'The stock or the charge of this order was given up before it could be recorded',
        );
      }
      await insertOrder(tx, order, outcome);
    });
  }

  /** Undoes what a failed order may hold and records it: release, void and row in parallel, all best effort. */
  async function abandon(
    order: PendingOrder,
    outcome: Charge & { status: 'declined' | 'failed' },
  ): Promise<void> {
    const record = transactionBefore(sql, Deadline.in(cleanupCallMs), (tx) =>
      insertOrder(tx, order, outcome),
    ).catch((err: unknown) => order.log.error({ err }, 'failed order not recorded'));
    await Promise.all([releaseStock(order), outcome.unknown ? voidCharge(order) : undefined, record]);
    order.log.warn({ status: outcome.status, reason: outcome.reason }, `order ${outcome.status}`);
  }

  /**
   * Price → reserve → charge → commit, each keyed by the order id and given what is left of the
   * order's deadline (cleanupMs stays in hand). Stock and money stay taken only once the commit
   * lands; every other way out releases and voids, and what those miss expires by itself.
   */
  async function placeOrder(
    request: OrderRequest,
    requestId: string,
    log: Logger,
    deadline: Deadline,
  ): Promise<PlacedOrder> {
    const work = deadline.minus(cleanupMs);
    const lines = await priceLines(sql, request.items, work);
    const totalCents = lines.reduce((sum, l) => sum + l.quantity * l.unitPriceCents, 0);
    if (totalCents > maxOrderCents) {
      throw new HttpError(
        400,
        'order_too_large',
        `Orders are limited to ${maxOrderCents} cents; this one is ${totalCents}`,
      );
    }
    const id = randomUUID();
    const holdMs = deadline.remainingMs() + holdMarginMs;
    const order: PendingOrder = {
      id,
      request,
      lines,
      totalCents,
      holdMs,
      requestId,
      log: log.child({ orderId: id }),
    };
    await reserveStock(order, work);
    let outcome = await charge(order, work);
    if (outcome.status === 'paid') {
      try {
        await commitPaidOrder(order, outcome, work);
        order.log.info({ totalCents, items: lines.length }, 'order placed');
        return { id, status: 'paid', totalCents, currency, items: lines };
      } catch (err) {
        order.log.error({ err }, 'paid order not recorded; voiding its charge');
        const error =
          err instanceof HttpError
            ? err
            : new HttpError(
                503,
                'order_not_recorded',
                'The order could not be recorded; nothing was charged',
              );
        outcome = { status: 'failed', reason: error.message, error, unknown: true };
      }
    }
    await abandon(order, outcome);
    throw outcome.error;
  }

  app.post('/api/orders', jsonBody(orderRequest), async (c) => {
    try {
      const order = await placeOrder(
        c.req.valid('json'),
        c.get('requestId'),
        c.get('logger'),
        c.get('deadline'),
      );
      metrics.orders.inc({ status: 'paid' });
      metrics.orderValue.observe(order.totalCents);
      return c.json({ order }, 201);
    } catch (err) {
      metrics.orders.inc({ status: outcomeOf(err) });
      throw err;
    }
  });
}
