import client from 'prom-client';
import type { ServiceName } from './config.ts';
import { activeTraceIds } from './tracing/spans.ts';

// Resolves p95 from 5 ms to 10 s: the slow-responses alert's threshold (1 s) sits mid-range.
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2.5, 5, 10];

/**
 * A registry per service (not the global one) so several apps can live in one test process. With
 * `exemplars` (tracing on) the exposition is OpenMetrics, the only form that carries exemplars, and
 * each duration observation keeps the trace id of its request as the bucket's exemplar.
 */
export function createMetrics(service: ServiceName, { exemplars = false }: { exemplars?: boolean } = {}) {
  const registry = new client.Registry();
  // The services' own metrics take the default-typed Registry; the content type only changes the text.
  if (exemplars) {
    (registry as client.Registry<client.RegistryContentType>).setContentType(
      client.Registry.OPENMETRICS_CONTENT_TYPE,
    );
  }
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });
  const httpRequests = new client.Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by matched route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by matched route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: durationBuckets,
    registers: [registry],
    enableExemplars: exemplars,
  });
  const observeDuration = (labels: { method: string; route: string }, seconds: number) => {
    if (!exemplars) return httpDuration.observe(labels, seconds);
    const ids = activeTraceIds();
    // prom-client types exemplar labels as the metric's own label names; trace_id is what Grafana reads.
    const exemplarLabels = (ids ? { trace_id: ids.trace_id } : {}) as client.LabelValues<string>;
    httpDuration.observe({ labels, value: seconds, exemplarLabels });
  };
  const startups = new client.Counter({
    name: 'app_startups_total',
    help: 'Times this service process has started',
    registers: [registry],
  });
  return { registry, httpRequests, httpDuration, observeDuration, startups };
}

export type Metrics = ReturnType<typeof createMetrics>;
