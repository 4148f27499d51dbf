// Small panel factories shared by the dashboards: one place for units, sizes and data sources.
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import {
  PanelBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  VizLegendOptionsBuilder,
  type DataSourceRef,
} from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder as LokiQueryBuilder } from '@grafana/grafana-foundation-sdk/loki';
import { PanelBuilder as LogsPanelBuilder } from '@grafana/grafana-foundation-sdk/logs';
import { DataqueryBuilder as PrometheusQueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { datasourceRef } from '../datasources.ts';
import { PostgresQueryBuilder } from '../postgres-query.ts';

export interface Size {
  w: number;
  h: number;
}

const refIds = 'ABCDEFGHIJ';

export function promQuery(expr: string, legend: string, index = 0): PrometheusQueryBuilder {
  return new PrometheusQueryBuilder()
    .refId(refIds[index] ?? 'A')
    .datasource(datasourceRef('prometheus'))
    .expr(expr)
    .legendFormat(legend)
    .range();
}

/**
 * A query that also draws the exemplars of its series (the kit keeps a trace id on the request
 * duration histogram and on the counter of 5xx answers): each one opens its request's trace.
 */
export function exemplarQuery(expr: string, legend: string, index = 0): PrometheusQueryBuilder {
  return promQuery(expr, legend, index).exemplar(true);
}

export function sqlQuery(rawSql: string, format: 'table' | 'time_series' = 'table'): Builder<Dataquery> {
  return new PostgresQueryBuilder(rawSql, format);
}

/** Panels name the data source of their queries (all queries of a panel share one). */
function datasourceOf(queries: Builder<Dataquery>[]): DataSourceRef {
  const first = queries[0]?.build() as { datasource?: DataSourceRef } | undefined;
  if (!first?.datasource) throw new Error('a panel needs at least one query with a data source');
  return first.datasource;
}

export function timeseries(
  title: string,
  queries: Builder<Dataquery>[],
  unit: string,
  size: Size = { w: 8, h: 8 },
): TimeseriesPanelBuilder {
  return new TimeseriesPanelBuilder()
    .title(title)
    .datasource(datasourceOf(queries))
    .targets(queries)
    .unit(unit)
    .fillOpacity(10)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom),
    )
    .span(size.w)
    .height(size.h);
}

/** A stat whose color turns red at `redFrom` (or green above `greenFrom` for "higher is better"). */
export function stat(
  title: string,
  query: Builder<Dataquery>,
  unit: string,
  colors: { redFrom: number } | { greenFrom: number },
  size: Size = { w: 4, h: 5 },
): StatPanelBuilder {
  const steps =
    'redFrom' in colors
      ? [
          { value: null, color: 'green' },
          { value: colors.redFrom, color: 'red' },
        ]
      : [
          { value: null, color: 'red' },
          { value: colors.greenFrom, color: 'green' },
        ];
  return new StatPanelBuilder()
    .title(title)
    .datasource(datasourceOf([query]))
    .targets([query])
    .unit(unit)
    .thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps))
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .span(size.w)
    .height(size.h);
}

export function table(title: string, query: Builder<Dataquery>, size: Size): TablePanelBuilder {
  return new TablePanelBuilder()
    .title(title)
    .datasource(datasourceOf([query]))
    .targets([query])
    .span(size.w)
    .height(size.h);
}

export function logs(title: string, expr: string, size: Size = { w: 24, h: 10 }): LogsPanelBuilder {
  return new LogsPanelBuilder()
    .title(title)
    .datasource(datasourceRef('loki'))
    .targets([new LokiQueryBuilder().refId('A').datasource(datasourceRef('loki')).expr(expr)])
    .showTime(true)
    .wrapLogMessage(true)
    .enableLogDetails(true)
    .span(size.w)
    .height(size.h);
}

/** Grafana's built-in alert list: every rule this Grafana evaluates (only ShopFast's) and its state. */
export function alertList(title: string, size: Size): Builder<Panel> {
  return new PanelBuilder()
    .type('alertlist')
    .title(title)
    .options({
      viewMode: 'list',
      groupMode: 'default',
      maxItems: 20,
      sortOrder: 1,
      stateFilter: { firing: true, pending: true, noData: true, error: true, normal: true, recovering: true },
      alertInstanceLabelFilter: '',
    })
    .span(size.w)
    .height(size.h);
}
