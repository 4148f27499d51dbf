import type { Charge, ChargeRequest, ChargeStatus } from '../../domain/contracts/payments.ts';
import { transactionBefore, type Deadline, type Sql } from '../kit/index.ts';

interface ChargeRow {
  order_id: string;
  payment_id: string;
  status: ChargeStatus;
  amount_cents: number | null;
  currency: string | null;
  method: string | null;
  gateway_ref: string | null;
  captured_at: Date | null;
}

/** A charge as the ledger holds it, with what the request that made it asked for. */
export interface LedgerEntry extends Charge {
  amountCents: number | null;
  currency: string | null;
  method: string | null;
}

/** How a charge the gateway processed ended. */
export type Settlement =
  { status: 'succeeded'; gatewayRef: string } | { status: 'declined' | 'failed'; reason: string };

const toEntry = (row: ChargeRow): LedgerEntry => ({
  id: row.payment_id,
  orderId: row.order_id,
  status: row.status,
  captured: row.captured_at !== null,
  gatewayRef: row.gateway_ref,
  amountCents: row.amount_cents,
  currency: row.currency,
  method: row.method,
});

const expiryBatch = 500;

/**
 * The gateway's ledger in PostgreSQL, one charge per order id (payment_charges in init.sql). A
 * charge is opened as 'processing' only if the order id is new, so a repeated or late request
 * never charges twice; void and expiry move a processing or uncaptured charge to 'voided' in one
 * statement on its locked row, against which the api's capture (capture_payment_charge) and the
 * gateway's own settle race fairly: exactly one wins.
 */
export function createLedger(sql: Sql) {
  async function find(orderId: string): Promise<LedgerEntry | undefined> {
    const [row] = await sql<ChargeRow[]>`SELECT * FROM payment_charges WHERE order_id = ${orderId}`;
    return row && toEntry(row);
  }

  /** Opens the charge; `existing` when the order id already has one (the request is a repeat or late). */
  async function open(
    request: ChargeRequest,
    deadline: Deadline,
  ): Promise<{ opened: LedgerEntry } | { existing: LedgerEntry }> {
    const [row] = await transactionBefore(
      sql,
      deadline,
      (tx) => tx<ChargeRow[]>`
        INSERT INTO payment_charges (order_id, status, amount_cents, currency, method, expires_at)
        VALUES (${request.orderId}, 'processing', ${request.amountCents}, ${request.currency},
                ${request.method}, now() + ${request.holdMs}::int * interval '1 millisecond')
        ON CONFLICT (order_id) DO NOTHING
        RETURNING *`,
    );
    if (row) return { opened: toEntry(row) };
    return { existing: (await find(request.orderId))! };
  }

  /** Records how processing ended; undefined when the charge was voided meanwhile (it did not happen). */
  async function settle(orderId: string, outcome: Settlement): Promise<LedgerEntry | undefined> {
    const gatewayRef = outcome.status === 'succeeded' ? outcome.gatewayRef : null;
    const reason = outcome.status === 'succeeded' ? null : outcome.reason;
    const [row] = await sql<ChargeRow[]>`
      UPDATE payment_charges
      SET status = ${outcome.status}, gateway_ref = ${gatewayRef}, reason = ${reason}, settled_at = now()
      WHERE order_id = ${orderId} AND status = 'processing'
      RETURNING *`;
    return row && toEntry(row);
  }

  /**
   * Voids the order's charge unless an order captured it; for an order id never charged, closes it
   * against a late charge. `cancelled` says whether a processing or succeeded charge was undone.
   * It runs even when its caller has stopped waiting: undoing is always wanted.
   */
  async function cancel(orderId: string): Promise<{ entry: LedgerEntry; cancelled: boolean }> {
    const [changed] = await sql<{ inserted: boolean }[]>`
      INSERT INTO payment_charges AS c (order_id, status, expires_at, settled_at, reason)
      VALUES (${orderId}, 'voided', now(), now(), 'voided before any charge arrived')
      ON CONFLICT (order_id) DO UPDATE SET status = 'voided', settled_at = now(), reason = 'voided by the api'
      WHERE c.status IN ('processing', 'succeeded') AND c.captured_at IS NULL
      RETURNING (xmax = 0) AS inserted`;
    return { entry: (await find(orderId))!, cancelled: changed !== undefined && !changed.inserted };
  }

  /** One expiry pass: charges nobody captured in time are voided; returns how many. */
  async function expireDue(): Promise<number> {
    const result = await sql`
      UPDATE payment_charges c SET status = 'voided', settled_at = now(), reason = 'authorization expired'
      FROM (
        SELECT order_id FROM payment_charges
        WHERE status IN ('processing', 'succeeded') AND captured_at IS NULL AND expires_at < now()
        ORDER BY expires_at LIMIT ${expiryBatch}
        FOR UPDATE SKIP LOCKED
      ) due
      WHERE c.order_id = due.order_id`;
    return result.count;
  }

  return { open, settle, cancel, expireDue };
}

export type Ledger = ReturnType<typeof createLedger>;
