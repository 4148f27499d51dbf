import { z } from 'zod';

/** The product codes the catalog uses (SF-1001); anything else is a malformed request, not a missing product. */
export const skuSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: 'sku must be 1-64 letters, digits, "-" or "_"' });

export const maxQuantity = 100;

const quantity = z.coerce
  .number({ error: 'quantity must be a number' })
  .int({ error: 'quantity must be a whole number' })
  .min(1, { error: 'quantity must be at least 1' })
  .max(maxQuantity, { error: `quantity must be at most ${maxQuantity}` });

export const checkoutForm = z.object({
  sku: skuSchema,
  quantity,
  email: z.email({ error: 'email must be a valid email address' }).max(254),
});

export const cartQuery = z.object({
  sku: skuSchema.optional(),
  quantity: quantity.default(1),
});

/** "quantity: quantity must be at least 1; email: ..." */
export function describeProblems(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join('; ');
}
