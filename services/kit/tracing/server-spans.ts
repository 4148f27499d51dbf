import type { MiddlewareHandler } from 'hono';
import type { KitEnv } from '../context.ts';

/**
 * One SERVER span per request, named by method and route pattern ("POST /api/orders"), continuing
 * the caller's trace from its W3C `traceparent`. Outermost, so every log line and the duration
 * exemplar of the request see it as the active span. Hono's middleware is imported here, with
 * tracing on, and never otherwise (as ESM: its CommonJS build would meet a different copy of Hono).
 */
export function serverSpans(service: string): MiddlewareHandler<KitEnv> {
  const middleware = import('@hono/otel').then(({ httpInstrumentationMiddleware }) =>
    httpInstrumentationMiddleware({ serviceName: service, captureActiveRequests: false }),
  );
  return async (c, next) => (await middleware)(c, next);
}
