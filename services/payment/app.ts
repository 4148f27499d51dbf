import type { Hono } from 'hono';
import { chargeRequest, voidRequest, type ChargeRequest } from '../../domain/contracts/payments.ts';
import {
  createServiceApp,
  HttpError,
  jsonBody,
  type KitEnv,
  type ServiceKit,
  type Sql,
} from '../kit/index.ts';
import type { Gateway } from './gateway.ts';
import type { Ledger, LedgerEntry } from './ledger.ts';
import type { PaymentMetrics } from './metrics.ts';

export interface PaymentDeps {
  sql: Sql;
  ledger: Ledger;
  metrics: PaymentMetrics;
  gateway: Gateway;
}

const paymentOf = ({ id, orderId, status, captured, gatewayRef }: LedgerEntry) => ({
  payment: { id, orderId, status, captured, gatewayRef },
});

/** The answer to a charge request for an order id that already has a charge: its first outcome again. */
function replay(entry: LedgerEntry, request: ChargeRequest) {
  const same =
    entry.amountCents === request.amountCents &&
    entry.currency === request.currency &&
    entry.method === request.method;
  if (entry.status !== 'voided' && !same) {
    throw new HttpError(409, 'order_id_reused', `Order ${request.orderId} was charged with other details`);
  }
  switch (entry.status) {
    case 'succeeded':
      return paymentOf(entry);
    case 'declined':
      throw new HttpError(402, 'payment_declined', 'The payment was declined by the issuer');
    case 'failed':
      throw new HttpError(502, 'payment_gateway_error', 'The payment gateway failed for this order');
    case 'processing':
      throw new HttpError(409, 'payment_in_progress', `The charge for order ${request.orderId} is under way`);
    case 'voided':
      throw new HttpError(409, 'payment_voided', `The charge for order ${request.orderId} was voided`);
  }
}

/** The card payments: one charge and at most one void per order id, through the gateway. */
export function createPaymentApp(kit: ServiceKit, deps: PaymentDeps): Hono<KitEnv> {
  const { sql, ledger, metrics, gateway } = deps;
  const app = createServiceApp(kit, { postgres: () => sql`SELECT 1` });

  app.post('/payments', jsonBody(chargeRequest), async (c) => {
    const request = c.req.valid('json');
    const log = c.get('logger').child({ orderId: request.orderId, method: request.method });
    const started = await ledger.open(request, c.get('deadline'));
    if ('existing' in started) {
      log.info({ status: started.existing.status }, 'payment repeated; nothing charged');
      return c.json(replay(started.existing, request), 201);
    }
    const outcome = await gateway(request, log);
    const settled = await ledger.settle(request.orderId, outcome);
    if (!settled) {
      log.warn('payment voided while it was processing; nothing charged');
      throw new HttpError(409, 'payment_voided', `The charge for order ${request.orderId} was voided`);
    }
    metrics.payments.inc({ status: outcome.status, method: request.method });
    if (outcome.status === 'declined') throw new HttpError(402, 'payment_declined', outcome.reason);
    if (outcome.status === 'failed') throw new HttpError(502, 'payment_gateway_error', outcome.reason);
    log.info({ paymentId: settled.id, amountCents: request.amountCents }, 'payment succeeded');
    return c.json(paymentOf(settled), 201);
  });

  app.post('/payments/void', jsonBody(voidRequest), async (c) => {
    const { orderId } = c.req.valid('json');
    const { entry, cancelled } = await ledger.cancel(orderId);
    if (entry.captured) {
      throw new HttpError(409, 'payment_captured', `The charge for order ${orderId} belongs to a paid order`);
    }
    if (cancelled) {
      metrics.voids.inc({ trigger: 'api' });
      c.get('logger').warn({ orderId, paymentId: entry.id }, 'payment voided');
    }
    return c.json(paymentOf(entry));
  });

  return app;
}
