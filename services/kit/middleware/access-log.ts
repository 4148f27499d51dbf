import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from 'pino';
import type { KitEnv } from '../context.ts';

export interface AccessLogOptions {
  logger: Logger;
  /** Paths logged at debug level only, e.g. scrapes and probes, so they do not drown the business lines. */
  quietPaths?: RegExp;
}

/** One "request completed" line per request: id, method, route pattern, status and duration. */
export function accessLog({ logger, quietPaths }: AccessLogOptions): MiddlewareHandler<KitEnv> {
  return async function accessLog(c, next) {
    const started = performance.now();
    await next();
    const line = {
      requestId: c.get('requestId'),
      method: c.req.method,
      // After next() the route index points at the handler that answered; unmatched paths give '/*'.
      route: routePath(c),
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    if (quietPaths?.test(c.req.path)) logger.debug(line, 'request completed');
    else logger.info(line, 'request completed');
  };
}
