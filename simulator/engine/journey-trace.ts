import { randomBytes } from 'node:crypto';

/** The W3C trace context one journey sends on all its requests, so one shopper's journey is one trace. */
export interface JourneyTrace {
  /** 32 hex digits: the trace id Tempo finds the journey by. */
  traceId: string;
  /** 16 hex digits: the journey's own span, parent of the first service span of each request. */
  spanId: string;
  /** `00-<traceId>-<spanId>-01` (sampled). */
  traceparent: string;
}

export function newJourneyTrace(): JourneyTrace {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
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
