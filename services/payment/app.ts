import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import client from 'prom-client';
import { z } from 'zod';
import { createServiceApp, HttpError, jsonBody, type KitEnv, type ServiceKit } from '../kit/index.ts';

export const paymentMethods = ['card', 'paypal', 'apple_pay'] as const;

/** The largest single charge the gateway takes. */
export const maxAmountCents = 100_000_000;

const paymentRequest = z.strictObject({
  orderId: z.uuid(),
  amountCents: z.number().int().positive().max(maxAmountCents),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected a three-letter ISO currency code such as USD'),
  method: z.enum(paymentMethods),
  token: z.string().max(200).optional(),
});

/** The test token that every gateway declines, like a card issuer saying no. */
export const declinedToken = 'tok_decline';

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

export interface PaymentAppOptions {
  /** Simulated processing time; tests shorten it. */
  processingMs?: { min: number; max: number };
}

export function createPaymentApp(kit: ServiceKit, options: PaymentAppOptions = {}): Hono<KitEnv> {
  const processing = options.processingMs ?? { min: 100, max: 500 };
  const payments = new client.Counter({
    name: 'payments_total',
    help: 'Payment attempts by outcome and method',
    labelNames: ['status', 'method'] as const,
    registers: [kit.metrics.registry],
  });
  const app = createServiceApp(kit);

  app.post('/payments', jsonBody(paymentRequest), async (c) => {
    const payment = c.req.valid('json');
    const log = c.get('logger').child({ orderId: payment.orderId, method: payment.method });
    await new Promise((resolve) =>
      setTimeout(resolve, processing.min + Math.random() * (processing.max - processing.min)),
    );
    if (kit.faults.gatewayShouldFail()) {
      const reason = gatewayFailureReasons[Math.floor(Math.random() * gatewayFailureReasons.length)]!;
      payments.inc({ status: 'failed', method: payment.method });
      // Alert rules match this exact message in Loki: keep it stable.
      log.error({ reason, amountCents: payment.amountCents }, 'payment failed');
      throw new HttpError(502, 'payment_gateway_error', `The payment gateway failed: ${reason}`);
    }
    if (payment.token === declinedToken) {
      payments.inc({ status: 'declined', method: payment.method });
      log.warn({ reason: 'card declined' }, 'payment declined');
      throw new HttpError(402, 'payment_declined', 'The payment was declined by the issuer');
    }
    payments.inc({ status: 'succeeded', method: payment.method });
    const result = {
      id: randomUUID(),
      status: 'succeeded' as const,
      gatewayRef: `gw_${randomUUID().slice(0, 12)}`,
    };
    log.info({ paymentId: result.id, amountCents: payment.amountCents }, 'payment succeeded');
    return c.json({ payment: result }, 201);
  });

  return app;
}
