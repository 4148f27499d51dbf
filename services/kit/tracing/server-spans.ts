import { httpInstrumentationMiddleware } from '@hono/otel';
import type { MiddlewareHandler } from 'hono';
import type { KitEnv } from '../context.ts';

/**
 * One SERVER span per request, named by method and route pattern ("POST /api/orders"), continuing
 * the caller's trace from its W3C `traceparent`. Outermost, so every log line and the duration
 * exemplar of the request see it as the active span.
 */
export function serverSpans(service: string): MiddlewareHandler<KitEnv> {
  return httpInstrumentationMiddleware({ serviceName: service, captureActiveRequests: false });
}
