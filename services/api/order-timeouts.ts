import { z } from 'zod';

/**
 * How long an order may take and what each hop gets of it. They nest: the frontend (15 s) and
 * the simulator (15 s) wait longer than the api's order budget, which is longer than either hop
 * plus the clean-up kept at its end; every hop is told what is left (kit/deadline.ts), and each
 * database statement gets at most that too.
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

const millis = z.coerce.number().int().min(100).max(120_000);
const env = z.object({
  ORDER_TIMEOUT_MS: millis.default(10_000),
  INVENTORY_TIMEOUT_MS: millis.default(2_500),
  PAYMENT_TIMEOUT_MS: millis.default(6_000),
});

/** Reads ORDER_TIMEOUT_MS, INVENTORY_TIMEOUT_MS and PAYMENT_TIMEOUT_MS; refuses timeouts that do not nest. */
export function orderTimeoutsFrom(source: NodeJS.ProcessEnv): OrderTimeouts {
  const parsed = env.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid order timeouts: ${problems}`);
  }
  const timeouts = {
    orderMs: parsed.data.ORDER_TIMEOUT_MS,
    inventoryMs: parsed.data.INVENTORY_TIMEOUT_MS,
    paymentMs: parsed.data.PAYMENT_TIMEOUT_MS,
  };
  const hops = timeouts.inventoryMs + timeouts.paymentMs + cleanupMs;
  if (hops > timeouts.orderMs) {
    throw new Error(
      `ORDER_TIMEOUT_MS (${timeouts.orderMs}) must cover INVENTORY_TIMEOUT_MS + PAYMENT_TIMEOUT_MS + ${cleanupMs} ms of clean-up (${hops})`,
    );
  }
  return timeouts;
}
