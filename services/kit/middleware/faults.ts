import type { MiddlewareHandler } from 'hono';
import type { KitEnv } from '../context.ts';
import { HttpError } from '../http-error.ts';
import type { Faults } from '../faults.ts';
import { injectedDelay, recordInjectedFailure } from '../tracing/fault-spans.ts';

/**
 * Added latency, then the error-rate fault, each a span of its own when tracing is on. Paths that
 * match `spared` (the platform's probes and scrapes, a status page during its incident) pass untouched.
 */
export interface InjectFaultsOptions {
  /** The service's fault switches. */
  faults: Faults;
  /** Paths no fault touches. */
  spared: (path: string) => boolean;
}

export function injectFaults({ faults, spared }: InjectFaultsOptions): MiddlewareHandler<KitEnv> {
  return async function injectFaults(c, next) {
    if (spared(c.req.path)) return next();
    const delay = faults.value('latencyMs') + Math.random() * faults.value('latencyJitterMs');
    if (delay > 0) await injectedDelay(delay);
    const errorRate = faults.value('errorRate');
    if (errorRate > 0 && Math.random() < errorRate) {
      const message = `Injected fault: ${Math.round(errorRate * 100)}% of requests fail`;
      recordInjectedFailure('error', message);
      throw new HttpError(500, 'injected_fault', message);
    }
    await next();
  };
}
