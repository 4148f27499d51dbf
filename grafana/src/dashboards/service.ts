// One dashboard per service: RED, process health, its business series and its logs.
import { DashboardBuilder, DashboardCursorSync, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { ServiceName } from '../../../domain/services.ts';
import { exemplarQuery, logs, promQuery, timeseries } from './panels.ts';
import { talkRefresh, talkTimeRange } from './talk-view.ts';

export type { ServiceName };

interface BusinessSeries {
  title: string;
  expr: string;
  legend: string;
  unit: string;
}

/** What each service does for the shop, as counted by its own metrics. */
const businessSeries: Record<ServiceName, BusinessSeries[]> = {
  api: [
    {
      title: 'Orders by status',
      expr: 'sum by (status) (rate(orders_total[$__rate_interval]))',
      legend: '{{status}}',
      unit: 'ops',
    },
    {
      title: 'Logins by result',
      expr: 'sum by (result) (rate(login_attempts_total[$__rate_interval]))',
      legend: '{{result}}',
      unit: 'ops',
    },
  ],
  frontend: [
    {
      title: 'Page views',
      expr: 'sum by (page) (rate(page_views_total[$__rate_interval]))',
      legend: '{{page}}',
      unit: 'ops',
    },
  ],
  payment: [
    {
      title: 'Payments by status',
      expr: 'sum by (status) (rate(payments_total[$__rate_interval]))',
      legend: '{{status}}',
      unit: 'ops',
    },
    {
      title: 'Payments by method',
      expr: 'sum by (method) (rate(payments_total[$__rate_interval]))',
      legend: '{{method}}',
      unit: 'ops',
    },
  ],
  inventory: [
    {
      title: 'Stock level per product',
      expr: 'max by (sku) (inventory_stock_level)',
      legend: '{{sku}}',
      unit: 'none',
    },
    {
      title: 'Products low on stock',
      expr: 'max(inventory_low_stock_products)',
      legend: 'low',
      unit: 'none',
    },
  ],
};

export { serviceNames } from '../../../domain/services.ts';

export function serviceDashboardUid(service: ServiceName): string {
  return `shopfast-${service}`;
}

export function buildServiceDashboard(service: ServiceName): Dashboard {
  const sel = `service="${service}"`;
  const builder = new DashboardBuilder(`ShopFast service: ${service}`)
    .uid(serviceDashboardUid(service))
    .tags(['shopfast', 'service'])
    .refresh(talkRefresh)
    .time(talkTimeRange)
    .tooltip(DashboardCursorSync.Crosshair)
    .withRow(new RowBuilder('Requests, errors, duration'))
    .withPanel(
      timeseries(
        'Requests per second by route',
        [promQuery(`sum by (route) (rate(http_requests_total{${sel}}[$__rate_interval]))`, '{{route}}')],
        'reqps',
      ),
    )
    .withPanel(
      timeseries(
        'Responses by status',
        [promQuery(`sum by (status) (rate(http_requests_total{${sel}}[$__rate_interval]))`, '{{status}}')],
        'reqps',
      ),
    )
    .withPanel(
      timeseries(
        'Latency p50 / p95 / p99',
        [0.5, 0.95, 0.99].map((quantile, index) =>
          exemplarQuery(
            `histogram_quantile(${quantile}, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[$__rate_interval])))`,
            `p${Math.round(quantile * 100)}`,
            index,
          ),
        ),
        's',
      ),
    )
    .withRow(new RowBuilder('Process'))
    .withPanel(
      timeseries(
        'CPU (cores)',
        [promQuery(`sum(rate(process_cpu_seconds_total{${sel}}[$__rate_interval]))`, 'cpu')],
        'none',
      ),
    )
    .withPanel(
      timeseries(
        'Memory',
        [
          promQuery(`sum(process_resident_memory_bytes{${sel}})`, 'resident', 0),
          promQuery(`sum(nodejs_heap_size_used_bytes{${sel}})`, 'heap used', 1),
        ],
        'bytes',
      ),
    )
    .withPanel(
      timeseries(
        'Event-loop lag p99',
        [promQuery(`max(nodejs_eventloop_lag_p99_seconds{${sel}})`, 'p99')],
        's',
      ),
    )
    .withRow(new RowBuilder('Business'));
  for (const series of businessSeries[service]) {
    builder.withPanel(
      timeseries(series.title, [promQuery(series.expr, series.legend)], series.unit, { w: 12, h: 8 }),
    );
  }
  return builder
    .withRow(new RowBuilder('Logs'))
    .withPanel(logs(`Logs of ${service}`, `{service="${service}"}`))
    .build();
}
