import { z } from 'zod';
import { holdMs, orderId } from './order-id.ts';

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

/** POST /inventory/reserve: take these units for this order, until holdMs from now unless committed. */
export const reserveRequest = z.strictObject({ orderId, items: stockLines, holdMs });
export type ReserveRequest = z.infer<typeof reserveRequest>;

/** POST /inventory/release: give back what this order holds (and refuse any later reserve for it). */
export const releaseRequest = z.strictObject({ orderId });
export type ReleaseRequest = z.infer<typeof releaseRequest>;

export const reservationStatuses = ['held', 'committed', 'released', 'expired'] as const;
export type ReservationStatus = (typeof reservationStatuses)[number];

export const reservation = z.object({
  orderId: z.uuid(),
  status: z.enum(reservationStatuses),
  items: z.array(stockLine),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type Reservation = z.infer<typeof reservation>;

export const inventoryItem = z.object({
  sku: z.string(),
  stock: z.number().int(),
  lowStockThreshold: z.number().int(),
  seedStock: z.number().int(),
});
export type InventoryItem = z.infer<typeof inventoryItem>;

/** What reserve and release answer: the reservation as it now stands and the stock of its products. */
export const reservationReply = z.object({ reservation, items: z.array(inventoryItem) });
export type ReservationReply = z.infer<typeof reservationReply>;
