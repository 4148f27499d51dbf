import { randomBytes } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { tracingEnabled } from '../../services/kit/tracing/setup.ts';
import { markFailed } from '../../services/kit/tracing/spans.ts';

/** The W3C trace context one journey sends on all its requests, so one shopper's journey is one trace. */
export interface JourneyTrace {
  /** 32 hex digits: the trace id Tempo finds the journey by. */
  traceId: string;
  /** 16 hex digits: the journey's own span, parent of the first service span of each request. */
  spanId: string;
  /** `00-<traceId>-<spanId>-<flags>`: 01 when sampled. */
  traceparent: string;
  /** Ends the journey's span; a failed journey (a 5xx or no answer) marks it as an error. */
  end(failed: boolean): void;
}

/**
 * A new trace for one journey. With tracing on in the simulator (OTEL_EXPORTER_OTLP_ENDPOINT, the
 * kit's setup) the journey is a root span of its own, exported when it ends, so Tempo shows the
 * journey at the top of the trace; without, the ids are only sent (the services' spans then hang
 * off a parent no one exports).
 */
export function newJourneyTrace(action = 'journey'): JourneyTrace {
  if (!tracingEnabled()) {
    const traceId = randomBytes(16).toString('hex');
    const spanId = randomBytes(8).toString('hex');
    return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01`, end: () => {} };
  }
  const span = trace
    .getTracer('shopfast-sim')
    .startSpan(`journey ${action}`, { root: true, attributes: { 'journey.action': action } });
  const { traceId, spanId, traceFlags } = span.spanContext();
  return {
    traceId,
    spanId,
    traceparent: `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`,
    end: (failed) => {
      if (failed) markFailed(span, undefined, 'a request of the journey failed');
      span.end();
    },
  };
}

export interface SlowJourney {
  action: string;
  traceId: string;
  latencyMs: number;
}

/** Keeps the `size` slowest journeys seen, slowest first. */
export class SlowestJourneys {
  private readonly kept: SlowJourney[] = [];

  constructor(private readonly size = 5) {}

  offer(journey: SlowJourney): void {
    const last = this.kept[this.kept.length - 1];
    if (this.kept.length >= this.size && last && last.latencyMs >= journey.latencyMs) return;
    this.kept.push(journey);
    this.kept.sort((a, b) => b.latencyMs - a.latencyMs);
    if (this.kept.length > this.size) this.kept.pop();
  }

  list(): SlowJourney[] {
    return this.kept.map((j) => ({ ...j }));
  }
}
