import type { Reservation, ReservationStatus, StockLine } from '../../domain/contracts/stock.ts';
import { HttpError, type Deadline, type Sql } from '../kit/index.ts';
import { refusal, toItem, type ItemRow } from './stock.ts';

interface ReservationRow {
  order_id: string;
  status: ReservationStatus;
  expires_at: Date;
  items: StockLine[];
}

const toReservation = (row: ReservationRow): Reservation => ({
  orderId: row.order_id,
  status: row.status,
  items: row.items,
  expiresAt: row.expires_at.toISOString(),
});

/** The most reservations one expiry pass settles; the next pass, a second later, takes the rest. */
const expiryBatch = 500;

const sameLines = (a: StockLine[], b: StockLine[]) => {
  const key = (lines: StockLine[]) =>
    JSON.stringify([...lines].sort((x, y) => x.sku.localeCompare(y.sku)).map((l) => [l.sku, l.quantity]));
  return key(a) === key(b);
};

/**
 * Reservations keyed by order id. Reserve takes the units and writes the reservation in ONE
 * statement, and only if no reservation for the order exists yet, so a repeated or late reserve
 * takes nothing twice. Release, expiry and the api's commit (commit_stock_reservation in
 * init.sql) each move a held reservation on in one statement on its locked row: exactly one wins.
 */
export function createReservationStore(sql: Sql) {
  async function find(db: Sql, orderId: string): Promise<Reservation | undefined> {
    const [row] = await db<ReservationRow[]>`
      SELECT r.order_id, r.status, r.expires_at,
             coalesce(json_agg(json_build_object('sku', i.sku, 'quantity', i.quantity) ORDER BY i.sku)
                        FILTER (WHERE i.sku IS NOT NULL), '[]') AS items
      FROM stock_reservations r LEFT JOIN stock_reservation_items i ON i.order_id = r.order_id
      WHERE r.order_id = ${orderId}
      GROUP BY r.order_id`;
    return row && toReservation(row);
  }

  /**
   * CTEs that give the units of the reservations in `closed` (one order_id column) back to their
   * products, the rows locked in sku order like reserve does, so the two cannot deadlock.
   */
  const giveBack = sql`
    returned AS (
      SELECT i.sku, sum(i.quantity)::int AS quantity
      FROM stock_reservation_items i JOIN closed c ON c.order_id = i.order_id
      GROUP BY i.sku
    ), locked AS (
      SELECT p.sku FROM products p JOIN returned r ON r.sku = p.sku ORDER BY p.sku FOR UPDATE OF p
    ), given AS (
      UPDATE products p SET stock = p.stock + r.quantity
      FROM returned r JOIN locked l ON l.sku = r.sku
      WHERE p.sku = r.sku
      RETURNING p.sku
    )`;

  /** Takes every line for the order, all or none; answers what the order holds afterwards. */
  async function reserve(orderId: string, lines: StockLine[], holdMs: number, deadline: Deadline) {
    deadline.throwIfExpired();
    // One autocommit statement: the product rows stay locked for the statement alone, never
    // across a round trip, so buyers racing for one product queue for microseconds.
    const rows = await sql<(ItemRow & { previous: number; expires_at: Date })[]>`
        WITH wanted AS (
          SELECT * FROM unnest(${lines.map((l) => l.sku)}::text[], ${lines.map((l) => l.quantity)}::int[])
            AS w(sku, quantity)
        ), locked AS (
          SELECT p.sku, p.stock AS previous, w.quantity FROM products p JOIN wanted w ON w.sku = p.sku
          ORDER BY p.sku FOR UPDATE OF p
        ), verdict AS (
          SELECT count(*) = ${lines.length} AND coalesce(bool_and(previous >= quantity), false) AS fits
          FROM locked
        ), opened AS (
          INSERT INTO stock_reservations (order_id, status, expires_at)
          SELECT ${orderId}, 'held', now() + ${holdMs}::int * interval '1 millisecond' FROM verdict WHERE fits
          ON CONFLICT (order_id) DO NOTHING
          RETURNING order_id, expires_at
        ), held_items AS (
          INSERT INTO stock_reservation_items (order_id, sku, quantity)
          SELECT o.order_id, l.sku, l.quantity FROM opened o CROSS JOIN locked l
        )
        UPDATE products p SET stock = p.stock - l.quantity
        FROM locked l, opened o
        WHERE p.sku = l.sku
        RETURNING p.sku, p.stock, p.low_stock_threshold, p.seed_stock, l.previous, o.expires_at`;
    if (rows.length > 0) {
      const reservation: Reservation = {
        orderId,
        status: 'held',
        items: [...lines].sort((x, y) => x.sku.localeCompare(y.sku)),
        expiresAt: rows[0]!.expires_at.toISOString(),
      };
      const changes = rows.map((row) => ({ item: toItem(row), previousStock: row.previous }));
      return { reservation, changes };
    }
    const existing = await find(sql, orderId);
    if (!existing) throw await refusal(sql, lines, -1);
    if (existing.status === 'released' || existing.status === 'expired') {
      throw new HttpError(
        409,
        'reservation_closed',
        `The reservation of order ${orderId} is ${existing.status}`,
      );
    }
    if (!sameLines(existing.items, lines)) {
      throw new HttpError(409, 'order_id_reused', `Order ${orderId} already reserved other items`);
    }
    return { reservation: existing, changes: [] };
  }

  /**
   * Gives back what the order holds; for an order never reserved, closes its id against a late
   * reserve. It runs even when its caller has stopped waiting: undoing is always wanted.
   */
  async function release(orderId: string) {
    // Autocommit like reserve: the product rows are locked for this statement only.
    await sql`
      WITH closed AS (
        INSERT INTO stock_reservations AS r (order_id, status, expires_at, settled_at)
        VALUES (${orderId}, 'released', now(), now())
        ON CONFLICT (order_id) DO UPDATE SET status = 'released', settled_at = now()
        WHERE r.status = 'held'
        RETURNING r.order_id
      ), ${giveBack}
      SELECT count(*) FROM given`;
    return (await find(sql, orderId))!;
  }

  /** One expiry pass: held reservations past their time give their units back; returns how many. */
  async function expireDue(): Promise<number> {
    const [row] = await sql<{ expired: number }[]>`
      WITH due AS (
        SELECT order_id FROM stock_reservations
        WHERE status = 'held' AND expires_at < now()
        ORDER BY expires_at LIMIT ${expiryBatch}
        FOR UPDATE SKIP LOCKED
      ), closed AS (
        UPDATE stock_reservations r SET status = 'expired', settled_at = now()
        FROM due WHERE r.order_id = due.order_id
        RETURNING r.order_id
      ), ${giveBack}
      SELECT (SELECT count(*)::int FROM closed) AS expired`;
    return row?.expired ?? 0;
  }

  return { reserve, release, expireDue };
}

export type ReservationStore = ReturnType<typeof createReservationStore>;
