import { context, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { inSpan } from './spans.ts';

export interface OutgoingCall {
  /** The service called, e.g. 'inventory'. */
  peer: string;
  method: string;
  url: URL;
  /** The route pattern called, for the span name (never a raw path with ids in it). */
  route: string;
}

/**
 * Runs one call to another service inside a CLIENT span and writes the W3C `traceparent` (and
 * `tracestate`) of that span into `headers`, so the callee's server span becomes its child. An
 * answer of 500 or more marks the span as failed; a throw (no answer) too.
 */
export function tracedCall<T extends { status: number }>(
  call: OutgoingCall,
  headers: Record<string, string>,
  send: () => Promise<T>,
): Promise<T> {
  return inSpan(
    `${call.method} ${call.route}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': call.method,
        'server.address': call.url.hostname,
        'server.port': Number(call.url.port),
        'url.full': call.url.href,
        'peer.service': call.peer,
      },
    },
    async (span) => {
      if (span) propagation.inject(context.active(), headers);
      const reply = await send();
      span?.setAttribute('http.response.status_code', reply.status);
      if (span && reply.status >= 500)
        span.setStatus({ code: SpanStatusCode.ERROR, message: `${call.peer} answered ${reply.status}` });
      return reply;
    },
  );
}
