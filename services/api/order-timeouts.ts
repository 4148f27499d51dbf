/**
 * How long an order may take and what each hop gets of it. They nest: the frontend (15 s) and
 * the simulator (15 s) wait longer than the api's order budget, which is longer than either hop
 * plus the clean-up kept at its end (settings.ts refuses timeouts that do not nest); every hop is
 * told what is left (kit/deadline.ts), and each database statement gets at most that too.
 */
export interface OrderTimeouts {
  /** The whole order, from arrival to answer, when the caller grants no less. */
  orderMs: number;
  /** The most one call to inventory may take. */
  inventoryMs: number;
  /** The most one charge may take: the gateway's 0.5 s and any injected latency. */
  paymentMs: number;
}

/** Kept at the end of every order for a release, a void and the failed order's row, in parallel. */
export const cleanupMs = 1_500;

/** The most each clean-up call may take (below cleanupMs, so an order still ends within its budget). */
export const cleanupCallMs = 1_000;

/**
 * How much longer than the order's own deadline a reservation or charge is held before it expires
 * by itself: the api commits before its deadline, so the hold never runs out under a live order.
 */
export const holdMarginMs = 5_000;

/** The shutdown deadline: in-flight orders end within their budget, then the pools close. */
export const shutdownAfterOrdersMs = 5_000;
