import { z } from 'zod';

/** Product codes such as SF-1001: letters, digits, dot, dash, underscore; at most 64 characters. */
export const skuSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a sku such as SF-1001 (letters, digits, . _ -)');

export const skuParams = z.object({ sku: skuSchema });

const stockLine = z.object({
  sku: skuSchema,
  quantity: z.number().int().min(1).max(100),
});

/**
 * The items of an order or reservation: 1 to 20 lines, one per sku, 1 to 100 units each. The api
 * validates orders with it and the inventory validates reservations with it, so both agree.
 */
export const stockLines = z
  .array(stockLine)
  .min(1)
  .max(20)
  .refine((lines) => new Set(lines.map((l) => l.sku)).size === lines.length, {
    message: 'each sku may appear only once; add up its quantity instead',
  });

export type StockLine = z.infer<typeof stockLine>;
