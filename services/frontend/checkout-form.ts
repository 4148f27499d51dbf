import { z } from 'zod';
import { skuSchema } from '../../domain/contracts/stock.ts';

export const maxQuantity = 100;

const quantity = z.coerce
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be at least 1' })
  .max(maxQuantity, { error: `must be at most ${maxQuantity}` });

/** The checkout form's fields (application/x-www-form-urlencoded or multipart). */
export const checkoutForm = z.object({
  sku: skuSchema,
  quantity,
  email: z.email({ error: 'must be a valid email address' }).max(254),
});

export const cartQuery = z.object({
  sku: skuSchema.optional(),
  quantity: quantity.default(1),
});
