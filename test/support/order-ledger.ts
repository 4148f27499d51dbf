import type postgres from 'postgres';
import { waitFor } from './wait-for.ts';

/** Everything that must hold for one product once its orders have settled; all zeros but the first. */
export interface Consistency {
  /** Must equal the starting stock. */
  stockPlusSold: number;
  paidWithoutCommittedReservation: number;
  paidWithoutCapturedCharge: number;
  /** Units taken for an order that has no paid order row. */
  committedWithoutPaidOrder: number;
  /** Money taken for an order that has no paid order row. */
  succeededChargesWithoutPaidOrder: number;
  /** Declined or failed orders whose units are not back. */
  unpaidOrdersHoldingStock: number;
}

/** The database's clock: charges are told apart from earlier tests' by their created_at. */
export async function databaseNow(db: postgres.Sql): Promise<Date> {
  const [row] = await db<{ now: Date }[]>`SELECT now()`;
  return row!.now;
}

/**
 * Waits until nothing is left undecided for the product (no held reservation) or since `since`
 * (no charge processing or waiting for capture): released, voided, expired or committed.
 */
export async function waitUntilSettled(db: postgres.Sql, sku: string, since: Date, timeoutMs: number) {
  await waitFor(
    'reservations and charges to settle',
    async () => {
      const [row] = await db<{ open: number }[]>`
        SELECT (SELECT count(*) FROM stock_reservations r JOIN stock_reservation_items i ON i.order_id = r.order_id
                WHERE i.sku = ${sku} AND r.status = 'held')
             + (SELECT count(*) FROM payment_charges
                WHERE created_at >= ${since}
                  AND (status = 'processing' OR (status = 'succeeded' AND captured_at IS NULL))) AS open`;
      return Number(row!.open) === 0;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

export async function consistencyOf(db: postgres.Sql, sku: string, since: Date): Promise<Consistency> {
  const [row] = await db<Record<keyof Consistency, string>[]>`
    WITH paid AS (
      SELECT o.id, i.quantity FROM orders o JOIN order_items i ON i.order_id = o.id
      WHERE i.sku = ${sku} AND o.status = 'paid'
    ), reserved AS (
      SELECT r.order_id, r.status FROM stock_reservations r JOIN stock_reservation_items i ON i.order_id = r.order_id
      WHERE i.sku = ${sku}
    )
    SELECT
      (SELECT stock FROM products WHERE sku = ${sku}) + (SELECT coalesce(sum(quantity), 0) FROM paid)
        AS "stockPlusSold",
      (SELECT count(*) FROM paid p WHERE NOT EXISTS (
         SELECT 1 FROM stock_reservations r WHERE r.order_id = p.id AND r.status = 'committed'))
        AS "paidWithoutCommittedReservation",
      (SELECT count(*) FROM paid p WHERE NOT EXISTS (
         SELECT 1 FROM payment_charges c WHERE c.order_id = p.id AND c.captured_at IS NOT NULL))
        AS "paidWithoutCapturedCharge",
      (SELECT count(*) FROM reserved r WHERE r.status = 'committed'
         AND NOT EXISTS (SELECT 1 FROM paid p WHERE p.id = r.order_id))
        AS "committedWithoutPaidOrder",
      (SELECT count(*) FROM payment_charges c WHERE c.created_at >= ${since} AND c.status = 'succeeded'
         AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = c.order_id AND o.status = 'paid'))
        AS "succeededChargesWithoutPaidOrder",
      (SELECT count(*) FROM orders o JOIN reserved r ON r.order_id = o.id
         WHERE o.status IN ('declined', 'failed') AND r.status IN ('held', 'committed'))
        AS "unpaidOrdersHoldingStock"`;
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)])) as unknown as Consistency;
}

/** What consistencyOf must answer for a product that started with `startingStock` units. */
export const consistent = (startingStock: number): Consistency => ({
  stockPlusSold: startingStock,
  paidWithoutCommittedReservation: 0,
  paidWithoutCapturedCharge: 0,
  committedWithoutPaidOrder: 0,
  succeededChargesWithoutPaidOrder: 0,
  unpaidOrdersHoldingStock: 0,
});
