import { HttpError } from './http-error.ts';

/**
 * The time a caller still grants this request, in milliseconds, relative so that clocks need not
 * agree (like gRPC's grpc-timeout). Callers send a little less than they will wait themselves.
 */
export const deadlineHeader = 'x-request-timeout-ms';

/** What a callee gives up early by, so its answer (a 504 included) reaches the caller in time. */
const propagationMarginMs = 100;

/** The moment a request must be answered by, on this process's monotonic clock. */
export class Deadline {
  private constructor(private readonly at: number) {}

  static in(ms: number): Deadline {
    return new Deadline(performance.now() + ms);
  }

  /** Whole milliseconds left (timers take integers), 0 once passed. */
  remainingMs(): number {
    return Math.max(0, Math.floor(this.at - performance.now()));
  }

  expired(): boolean {
    return this.remainingMs() === 0;
  }

  /** The earlier of this deadline and `ms` from now: what a hop with its own limit may use. */
  within(ms: number): Deadline {
    return new Deadline(Math.min(this.at, performance.now() + ms));
  }

  /** This deadline moved `ms` earlier: the part of a budget left after keeping `ms` for clean-up. */
  minus(ms: number): Deadline {
    return new Deadline(this.at - ms);
  }

  /** Work whose caller has given up is not started: a late request answers 504 and changes nothing. */
  throwIfExpired(): void {
    if (this.expired()) {
      throw new HttpError(504, 'deadline_exceeded', 'The caller stopped waiting before the work could start');
    }
  }
}

/** The header a call that will wait `timeoutMs` sends, so the callee stops before the caller does. */
export function deadlineHeaders(timeoutMs: number): Record<string, string> {
  return { [deadlineHeader]: String(Math.max(1, Math.floor(timeoutMs - propagationMarginMs))) };
}
