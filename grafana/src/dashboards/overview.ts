// ShopFast overview: the four golden signals per service, the business at a glance, the alerts.
import { DashboardBuilder, DashboardCursorSync, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { alertList, exemplarQuery, promQuery, sqlQuery, stat, timeseries } from './panels.ts';
import { talkRefresh, talkTimeRange } from './talk-view.ts';

export const overviewUid = 'shopfast-overview';

/** The panels the latency and error alerts link to: their exemplars open the traces behind them. */
export const overviewPanels = { errorRate: 'Error rate (5xx share)', latency: 'Latency p95' } as const;

export function buildOverviewDashboard(): Dashboard {
  return new DashboardBuilder('ShopFast overview')
    .uid(overviewUid)
    .tags(['shopfast'])
    .description(
      'Requests, errors and latency per service; orders, revenue, payments, stock and logins; alerts.',
    )
    .refresh(talkRefresh)
    .time(talkTimeRange)
    .tooltip(DashboardCursorSync.Crosshair)
    .withRow(new RowBuilder('Services'))
    .withPanel(
      timeseries(
        'Requests per second',
        [promQuery('sum by (service) (rate(http_requests_total[$__rate_interval]))', '{{service}}')],
        'reqps',
      ),
    )
    .withPanel(
      timeseries(
        overviewPanels.errorRate,
        [
          // Only 5xx answers keep exemplars, so the dots on this panel are failed requests' traces.
          exemplarQuery(
            'sum by (service) (rate(http_requests_total{status=~"5.."}[$__rate_interval]))' +
              ' / sum by (service) (rate(http_requests_total[$__rate_interval]))',
            '{{service}}',
          ),
        ],
        'percentunit',
      ),
    )
    .withPanel(
      timeseries(
        overviewPanels.latency,
        [
          exemplarQuery(
            'histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket[$__rate_interval])))',
            '{{service}}',
          ),
        ],
        's',
      ),
    )
    .withRow(new RowBuilder('Business'))
    .withPanel(
      stat(
        'Orders per minute',
        promQuery('sum(rate(orders_total[$__rate_interval])) * 60', 'orders'),
        'none',
        {
          greenFrom: 0.1,
        },
      ),
    )
    .withPanel(
      stat(
        'Revenue (last hour)',
        sqlQuery(
          "SELECT coalesce(sum(total_cents), 0) / 100.0 AS revenue FROM orders WHERE status = 'paid' AND created_at > now() - interval '1 hour'",
        ),
        'currencyUSD',
        { greenFrom: 0.01 },
      ),
    )
    .withPanel(
      stat(
        'Payment success',
        promQuery(
          'sum(rate(payments_total{status="succeeded"}[$__rate_interval])) / sum(rate(payments_total[$__rate_interval]))',
          'success',
        ),
        'percentunit',
        { greenFrom: 0.9 },
      ),
    )
    .withPanel(
      stat('Products low on stock', promQuery('max(inventory_low_stock_products)', 'low'), 'none', {
        redFrom: 1,
      }),
    )
    .withPanel(
      stat('Failed logins (5 min)', sqlQuery('SELECT failed_last_5m FROM alert_failed_logins'), 'none', {
        redFrom: 5,
      }),
    )
    .withPanel(
      stat('Minimum stock', sqlQuery('SELECT min(stock) AS stock FROM alert_inventory_levels'), 'none', {
        greenFrom: 6,
      }),
    )
    .withPanel(
      timeseries(
        'Stock level per product',
        [promQuery('max by (sku) (inventory_stock_level)', '{{sku}}')],
        'none',
        { w: 12, h: 8 },
      ),
    )
    .withPanel(alertList('Alerts', { w: 12, h: 8 }))
    .build();
}
