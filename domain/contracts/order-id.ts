import { z } from 'zod';

/**
 * The key every cross-service write of an order carries: the api picks it once per order, and
 * inventory and payment do each thing at most once for it.
 */
export const orderId = z.uuid();

/**
 * How long a reservation or an uncaptured charge may wait for the api's decision before it is
 * released or voided by itself: the api sends what is left of its order deadline plus a margin.
 */
export const holdMs = z.number().int().min(500).max(600_000);
