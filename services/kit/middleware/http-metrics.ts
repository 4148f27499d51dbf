import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import client from 'prom-client';
import type { KitEnv } from '../context.ts';
import { activeTraceIds } from '../tracing/spans.ts';

// Resolves p95 from 5 ms to 10 s: the slow-responses alert's threshold (1 s) sits mid-range.
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2.5, 5, 10];

// Label values must come from a closed set, or every odd request adds a series that lives until
// the process ends: routes are patterns ('/*' when none matched), methods outside this list 'other'.
const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Counts every request and times it, by method and matched route pattern (never the raw path).
 * With `exemplars` (tracing on) each duration keeps the trace id of its request as the bucket's
 * exemplar, and each 5xx answer its trace id as the counter's.
 */
export interface HttpMetricsOptions {
  /** The service's registry, which /metrics serves. */
  registry: client.Registry;
  /** Keep trace ids as exemplars (tracing on, OpenMetrics output). */
  exemplars?: boolean;
}

export function httpMetrics({ registry, exemplars = false }: HttpMetricsOptions): MiddlewareHandler<KitEnv> {
  const requests = new client.Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by matched route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
    enableExemplars: exemplars,
  });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by matched route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: durationBuckets,
    registers: [registry],
    enableExemplars: exemplars,
  });
  // prom-client types exemplar labels as the metric's own label names; trace_id is what Grafana reads.
  const traceExemplar = () => {
    const ids = activeTraceIds();
    return (ids ? { trace_id: ids.trace_id } : {}) as client.LabelValues<string>;
  };
  const count = (labels: { method: string; route: string; status: string }) => {
    if (!exemplars) return requests.inc(labels);
    // Only failed answers keep a trace: the error-rate panel's exemplars are the failures' traces.
    if (labels.status.startsWith('5')) requests.inc({ labels, exemplarLabels: traceExemplar() });
    else requests.inc({ labels });
  };
  const observe = (labels: { method: string; route: string }, seconds: number) => {
    if (!exemplars) return duration.observe(labels, seconds);
    duration.observe({ labels, value: seconds, exemplarLabels: traceExemplar() });
  };
  return async function httpMetrics(c, next) {
    const started = performance.now();
    await next();
    const method = knownMethods.has(c.req.method) ? c.req.method : 'other';
    const route = routePath(c);
    count({ method, route, status: String(c.res.status) });
    observe({ method, route }, (performance.now() - started) / 1000);
  };
}
