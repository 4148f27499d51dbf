import { z } from 'zod';
import { paymentMethods } from './payments.ts';
import { stockLines } from './stock.ts';

/** POST /api/orders, as the frontend, the simulator and any shopper's client send it. */
export const orderRequest = z.object({
  items: stockLines,
  paymentMethod: z.enum(paymentMethods),
  customerEmail: z.email().max(254).optional(),
  paymentToken: z.string().min(1).max(200).optional(),
});
export type OrderRequest = z.infer<typeof orderRequest>;

export const placedOrder = z.object({
  id: z.uuid(),
  status: z.literal('paid'),
  totalCents: z.number().int(),
  currency: z.string(),
  items: z.array(z.object({ sku: z.string(), quantity: z.number().int(), unitPriceCents: z.number().int() })),
});
export type PlacedOrder = z.infer<typeof placedOrder>;

/** What POST /api/orders answers with 201. */
export const orderPlacedReply = z.object({ order: placedOrder });
