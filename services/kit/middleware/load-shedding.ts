import type { MiddlewareHandler } from 'hono';
import type { KitEnv } from '../context.ts';
import { HttpError } from '../http-error.ts';

export interface LoadSheddingOptions {
  /** Requests a service works on at once; the next one is answered 503 at once. */
  maxInFlight: number;
  /** Paths never shed, e.g. probes and scrapes, so an overloaded service still shows why. */
  spared: (path: string) => boolean;
}

/**
 * Bounds the work, and so the memory, a service takes on however fast requests arrive: past
 * maxInFlight it answers 503 with Retry-After instead of queueing them until the container is
 * killed for its memory.
 */
export function shedLoad(options: LoadSheddingOptions): MiddlewareHandler<KitEnv> {
  let inFlight = 0;
  return async function shedLoad(c, next) {
    if (options.spared(c.req.path)) return next();
    if (inFlight >= options.maxInFlight) {
      c.header('Retry-After', '1');
      throw new HttpError(
        503,
        'overloaded',
        `${options.maxInFlight} requests are in progress; try again shortly`,
      );
    }
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
    }
  };
}
