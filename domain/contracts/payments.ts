import { z } from 'zod';
import { holdMs, orderId } from './order-id.ts';

export const paymentMethods = ['card', 'paypal', 'apple_pay'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** The largest single charge the gateway takes. */
export const maxAmountCents = 100_000_000;

/** The test token that every gateway declines, like a card issuer saying no. */
export const declinedToken = 'tok_decline';

/** POST /payments: charge once for this order; repeating it answers the first outcome again. */
export const chargeRequest = z.strictObject({
  orderId,
  amountCents: z.number().int().positive().max(maxAmountCents),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected a three-letter ISO currency code such as USD'),
  method: z.enum(paymentMethods),
  token: z.string().max(200).optional(),
  holdMs,
});
export type ChargeRequest = z.infer<typeof chargeRequest>;

/** POST /payments/void: cancel this order's charge unless an order captured it (and refuse a later one). */
export const voidRequest = z.strictObject({ orderId });
export type VoidRequest = z.infer<typeof voidRequest>;

export const chargeStatuses = ['processing', 'succeeded', 'declined', 'failed', 'voided'] as const;
export type ChargeStatus = (typeof chargeStatuses)[number];

export const charge = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  status: z.enum(chargeStatuses),
  captured: z.boolean(),
  gatewayRef: z.string().nullable(),
});
export type Charge = z.infer<typeof charge>;

/** What POST /payments answers with 201 and POST /payments/void with 200. */
export const chargeReply = z.object({ payment: charge });
export type ChargeReply = z.infer<typeof chargeReply>;
