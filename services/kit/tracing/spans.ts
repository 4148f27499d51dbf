import { SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { tracingEnabled } from './setup.ts';

const tracer = () => trace.getTracer('shopfast');

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
}

/**
 * Runs `work` inside a child span of the current one and ends it when `work` settles; a throw marks
 * the span as an error and is passed on. With tracing off it only runs `work`.
 */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  if (!tracingEnabled()) return work(undefined);
  return tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes ?? {} },
    async (span) => {
      try {
        return await work(span);
      } catch (err) {
        markFailed(span, err);
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/** Marks a span as failed, recording the exception when there is one. */
export function markFailed(span: Span, err: unknown, message?: string): void {
  if (err instanceof Error) span.recordException(err);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: message ?? (err instanceof Error ? err.message : String(err)),
  });
}

/** The current span's ids as log fields and exemplar labels; undefined outside a recorded span. */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  if (!tracingEnabled()) return undefined;
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** pino mixin: every line logged inside a recorded span carries its trace_id and span_id. */
export function traceLogFields(): object {
  return activeTraceIds() ?? {};
}
