import type { MiddlewareHandler } from 'hono';
import { requestId as honoRequestId } from 'hono/request-id';
import type { Logger } from 'pino';
import type { KitEnv } from '../context.ts';

/**
 * Hono's request id (the caller's X-Request-Id when it sends one, else a new UUID, echoed on the
 * response), and a logger on the context whose every line carries it.
 */
export interface RequestIdOptions {
  /** The service's logger; each request gets a child of it. */
  logger: Logger;
}

export function requestId({ logger }: RequestIdOptions): MiddlewareHandler<KitEnv> {
  const assignId = honoRequestId();
  return async function requestId(c, next) {
    await assignId(c, async () => {
      c.set('logger', logger.child({ requestId: c.get('requestId') }));
      await next();
    });
  };
}
