import type { MiddlewareHandler } from 'hono';
import type { KitEnv } from '../context.ts';
import { Deadline, deadlineHeader } from '../deadline.ts';

export interface RequestDeadlineOptions {
  /** The longest any request may take here, whatever its caller grants. */
  maxMs: number;
}

/** The header's budget, capped at the service's own `maxMs` (a missing or malformed header gets `maxMs`). */
export function budgetFrom(header: string | undefined, maxMs: number): number {
  const granted = header === undefined ? NaN : Number(header);
  return Number.isInteger(granted) && granted > 0 ? Math.min(granted, maxMs) : maxMs;
}

/**
 * Starts each request's deadline on arrival, before injected latency or queueing, so that time
 * counts against it: handlers read it as c.get('deadline').
 */
export function requestDeadline({ maxMs }: RequestDeadlineOptions): MiddlewareHandler<KitEnv> {
  return async (c, next) => {
    c.set('deadline', Deadline.in(budgetFrom(c.req.header(deadlineHeader), maxMs)));
    await next();
  };
}
