// Tempo and the links between the three signals: a trace's logs (Loki, by trace id) and metrics
// (Prometheus, by service), a log line's trace (the trace_id field the kit's logger writes), and a
// latency exemplar's trace (the trace_id exemplar label the kit's histogram keeps).

export const tempoDatasource = { type: 'tempo', uid: 'tempo' } as const;

/** The exemplar label and log field that carry the trace id (services/kit/metrics.ts, tracing/spans.ts). */
export const traceIdField = 'trace_id';

/** The metrics whose samples keep a trace id (services/kit/middleware/http-metrics.ts). */
export const exemplarMetrics = ['http_request_duration_seconds', 'http_requests_total'] as const;

/** The Tempo data source with traces-to-logs and traces-to-metrics, both by the span's service. */
export function tempoDatasourceEntry(links: { lokiUid: string; prometheusUid: string }): object {
  const byService = [{ key: 'service.name', value: 'service' }];
  return {
    name: 'Tempo',
    type: tempoDatasource.type,
    uid: tempoDatasource.uid,
    access: 'proxy',
    url: 'http://tempo:3200',
    editable: false,
    jsonData: {
      tracesToLogsV2: {
        datasourceUid: links.lokiUid,
        // Log lines are pushed within a second of the span; a minute either side is plenty.
        spanStartTimeShift: '-1m',
        spanEndTimeShift: '1m',
        tags: byService,
        filterByTraceID: true,
        filterBySpanID: false,
      },
      tracesToMetrics: {
        datasourceUid: links.prometheusUid,
        spanStartTimeShift: '-5m',
        spanEndTimeShift: '5m',
        tags: byService,
        queries: [
          {
            name: 'p95 latency by route',
            query:
              'histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{$__tags}[1m])))',
          },
          { name: 'Error rate', query: 'sum(rate(http_requests_total{$__tags,status=~"5.."}[1m]))' },
        ],
      },
      nodeGraph: { enabled: true },
      lokiSearch: { datasourceUid: links.lokiUid },
    },
  };
}

/** Loki: the kit's JSON lines carry "trace_id":"<32 hex>"; the derived field opens that trace. */
export function lokiTraceLink(): object {
  return {
    derivedFields: [
      {
        name: traceIdField,
        matcherRegex: `"${traceIdField}":"([0-9a-f]{32})"`,
        datasourceUid: tempoDatasource.uid,
        url: '${__value.raw}',
        urlDisplayLabel: 'View trace',
      },
    ],
  };
}

/** Prometheus: exemplars with a trace_id label open that trace in Tempo. */
export function prometheusExemplarLink(): object {
  return { exemplarTraceIdDestinations: [{ name: traceIdField, datasourceUid: tempoDatasource.uid }] };
}
