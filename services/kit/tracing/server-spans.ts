import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type TextMapGetter,
} from '@opentelemetry/api';
import type { HonoRequest, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { KitEnv } from '../context.ts';
import { markFailed } from './spans.ts';

// The propagators read only the headers they know (traceparent, tracestate, baggage), one by one:
// building the whole header object of every request was the largest part of tracing's cost.
const requestHeaders: TextMapGetter<HonoRequest> = {
  get: (req, key) => req.header(key),
  keys: () => [],
};

/**
 * One SERVER span per request, named by method and route pattern ("POST /api/orders"), continuing
 * the caller's trace from its W3C `traceparent`. Outermost, so every log line and the duration
 * exemplar of the request see it as the active span. The name and `http.route` are set once the
 * request is answered, when Hono knows which route answered it.
 */
export function serverSpans(): MiddlewareHandler<KitEnv> {
  const tracer = trace.getTracer('shopfast');
  return function serverSpans(c, next) {
    const parent = propagation.extract(context.active(), c.req, requestHeaders);
    const method = c.req.method;
    return tracer.startActiveSpan(
      method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.full': c.req.url } },
      parent,
      async (span) => {
        try {
          await next();
          if (c.error) markFailed(span, c.error);
          else if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        } catch (err) {
          markFailed(span, err);
          throw err;
        } finally {
          const route = routePath(c);
          span.setAttribute('http.route', route);
          span.setAttribute('http.response.status_code', c.res.status);
          span.updateName(`${method} ${route}`);
          span.end();
        }
      },
    );
  };
}
