import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import client from 'prom-client';
import {
  chargeRequest,
  declinedToken,
  voidRequest,
  type ChargeRequest,
} from '../../domain/contracts/payments.ts';
import {
  createServiceApp,
  HttpError,
  inSpan,
  jsonBody,
  markFailed,
  recordInjectedFailure,
  type KitEnv,
  type ServiceKit,
  type Sql,
} from '../kit/index.ts';
import type { Ledger, LedgerEntry, Settlement } from './ledger.ts';

// Why a gateway call failed, as the upstream processor would report it.
const gatewayFailureReasons = [
  'gateway timeout',
  'upstream processor unavailable',
  'connection reset by gateway',
];

/** Reads "min-max" milliseconds (e.g. "100-500"); undefined when unset, an error naming the format when malformed. */
export function parseProcessingRange(value: string | undefined): { min: number; max: number } | undefined {
  if (value === undefined || value === '') return undefined;
  const match = /^(\d{1,5})-(\d{1,5})$/.exec(value);
  if (!match || Number(match[1]) > Number(match[2])) {
    throw new Error(`PAYMENT_PROCESSING_MS must look like "100-500" (min-max milliseconds), got "${value}"`);
  }
  return { min: Number(match[1]), max: Number(match[2]) };
}

export interface PaymentDeps {
  sql: Sql;
  ledger: Ledger;
  metrics: PaymentMetrics;
  /** Simulated processing time; tests shorten it. */
  processingMs?: { min: number; max: number };
}

/** payments_total counts charges the gateway processed; payment_voids_total the ones undone afterwards. */
export function createPaymentMetrics(registry: client.Registry) {
  const payments = new client.Counter({
    name: 'payments_total',
    help: 'Payment attempts by outcome and method',
    labelNames: ['status', 'method'] as const,
    registers: [registry],
  });
  const voids = new client.Counter({
    name: 'payment_voids_total',
    help: 'Charges voided before an order captured them, by trigger: api (it gave up) or expiry',
    labelNames: ['trigger'] as const,
    registers: [registry],
  });
  for (const trigger of ['api', 'expiry']) voids.inc({ trigger }, 0);
  return { payments, voids };
}

export type PaymentMetrics = ReturnType<typeof createPaymentMetrics>;

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

export function createPaymentApp(kit: ServiceKit, deps: PaymentDeps): Hono<KitEnv> {
  const { sql, ledger, metrics } = deps;
  const processing = deps.processingMs ?? { min: 100, max: 500 };
  const app = createServiceApp(kit, { postgres: () => sql`SELECT 1` });

  /** What the simulated gateway decides, after its processing time. */
  // The simulated gateway call is its own span, so a trace tells its time from the service's; an
  // injected gateway failure shows inside it as a failed fault span.
  const process = (request: ChargeRequest, log: Logger): Promise<Settlement> =>
    inSpan('payment gateway charge', { attributes: { 'payment.method': request.method } }, async (span) => {
      const settlement = await gateway(request, log);
      if (span && settlement.status === 'failed') markFailed(span, undefined, settlement.reason);
      return settlement;
    });

  async function gateway(request: ChargeRequest, log: Logger): Promise<Settlement> {
    await new Promise((resolve) =>
      setTimeout(resolve, processing.min + Math.random() * (processing.max - processing.min)),
    );
    if (kit.faults.gatewayShouldFail()) {
      const reason = gatewayFailureReasons[Math.floor(Math.random() * gatewayFailureReasons.length)]!;
      recordInjectedFailure('gateway_failure', `The payment gateway failed: ${reason}`);
      // Alert rules match this exact message in Loki: keep it stable.
      log.error({ reason, amountCents: request.amountCents }, 'payment failed');
      return { status: 'failed', reason: `The payment gateway failed: ${reason}` };
    }
    if (request.token === declinedToken) {
      log.warn({ reason: 'card declined' }, 'payment declined');
      return { status: 'declined', reason: 'The payment was declined by the issuer' };
    }
    return { status: 'succeeded', gatewayRef: `gw_${randomUUID().slice(0, 12)}` };
  }

  app.post('/payments', jsonBody(chargeRequest), async (c) => {
    const request = c.req.valid('json');
    const log = c.get('logger').child({ orderId: request.orderId, method: request.method });
    const started = await ledger.open(request, c.get('deadline'));
    if ('existing' in started) {
      log.info({ status: started.existing.status }, 'payment repeated; nothing charged');
      return c.json(replay(started.existing, request), 201);
    }
    const outcome = await process(request, log);
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
