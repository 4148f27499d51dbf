// What a sales team asks: what sells, how much money comes in, how many visits turn into orders.
import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { promQuery, sqlQuery, stat, table, timeseries } from './panels.ts';
import { talkRefresh, talkTimeRange } from './talk-view.ts';

export const businessUid = 'shopfast-business';

export function buildBusinessDashboard(): Dashboard {
  return new DashboardBuilder('ShopFast business')
    .uid(businessUid)
    .tags(['shopfast', 'business'])
    .refresh(talkRefresh)
    .time(talkTimeRange)
    .withRow(new RowBuilder('Sales'))
    .withPanel(
      table(
        'Top products by revenue',
        sqlQuery(
          'SELECT name AS product, units_sold, revenue_cents / 100.0 AS revenue_usd' +
            ' FROM sales_by_product ORDER BY revenue_cents DESC, sku LIMIT 10',
        ),
        { w: 12, h: 10 },
      ),
    )
    .withPanel(
      timeseries(
        'Orders per minute by status',
        [promQuery('sum by (status) (rate(orders_total[$__rate_interval])) * 60', '{{status}}')],
        'none',
        { w: 12, h: 10 },
      ),
    )
    .withPanel(
      timeseries(
        'Revenue per 5 minutes (paid orders)',
        [
          sqlQuery(
            'SELECT $__timeGroupAlias(created_at, 5m), sum(total_cents) / 100.0 AS revenue_usd' +
              " FROM orders WHERE status = 'paid' AND $__timeFilter(created_at) GROUP BY 1 ORDER BY 1",
            'time_series',
          ),
        ],
        'currencyUSD',
        { w: 12, h: 8 },
      ),
    )
    .withPanel(
      stat(
        'Average order value (paid, selected range)',
        sqlQuery(
          "SELECT coalesce(avg(total_cents), 0) / 100.0 AS average_usd FROM orders WHERE status = 'paid' AND $__timeFilter(created_at)",
        ),
        'currencyUSD',
        { greenFrom: 0.01 },
        { w: 6, h: 8 },
      ),
    )
    .withPanel(
      stat(
        'Conversion: product views → paid orders',
        promQuery(
          'sum(increase(orders_total{status="paid"}[$__range])) / sum(increase(page_views_total{page="product"}[$__range]))',
          'conversion',
        ),
        'percentunit',
        { greenFrom: 0.02 },
        { w: 6, h: 8 },
      ),
    )
    .withRow(new RowBuilder('Funnel'))
    .withPanel(
      timeseries(
        'Product views and paid orders per minute',
        [
          promQuery('sum(rate(page_views_total{page="product"}[$__rate_interval])) * 60', 'product views', 0),
          promQuery('sum(rate(orders_total{status="paid"}[$__rate_interval])) * 60', 'paid orders', 1),
        ],
        'none',
        { w: 24, h: 8 },
      ),
    )
    .build();
}
