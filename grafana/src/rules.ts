// The seven alert rules, built with the SDK from the alert catalog.
import {
  QueryBuilder,
  RuleBuilder,
  RuleGroupBuilder,
  type RuleGroup,
} from '@grafana/grafana-foundation-sdk/alerting';
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { TypeReduceBuilder, TypeThresholdBuilder } from '@grafana/grafana-foundation-sdk/expr';
import { DataqueryBuilder as LokiQueryBuilder } from '@grafana/grafana-foundation-sdk/loki';
import { DataqueryBuilder as PrometheusQueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { alertCatalog, ruleGroup, type AlertDefinition, type InstanceLabels } from '../../domain/alerts.ts';
import {
  datasourceRef,
  datasourceUids,
  expressionDatasourceRef,
  expressionDatasourceUid,
} from './datasources.ts';
import { PostgresQueryBuilder } from './postgres-query.ts';
import { runbookUrl } from './runbook.ts';
import { panelLink } from './dashboards/index.ts';
import { overviewPanels, overviewUid } from './dashboards/overview.ts';

/** Instant and SQL queries ignore the range (GRAFANA-SEMANTICS.md); 10 minutes covers every window in the catalog. */
const queryLookbackSeconds = 600;

/** Per-service queries carry the label themselves; a fixed rule label would override it. */
const serviceFromSeries = '{{ $labels.service }}';

function dataModel(alert: AlertDefinition): Builder<Dataquery> {
  switch (alert.datasource) {
    case 'prometheus':
      return new PrometheusQueryBuilder()
        .refId('A')
        .datasource(datasourceRef('prometheus'))
        .expr(alert.query)
        .instant();
    case 'loki':
      return new LokiQueryBuilder()
        .refId('A')
        .datasource(datasourceRef('loki'))
        .expr(alert.query)
        .queryType('instant')
        .instant(true)
        .range(false);
    case 'postgres':
      return new PostgresQueryBuilder(alert.query).refId('A');
  }
}

function describeAlert(alert: AlertDefinition): string {
  const instance = alert.instanceLabels.map((label) => ` ${label} {{ $labels.${label} }}`).join(',');
  const comparison = alert.threshold.op === 'gt' ? 'above' : 'below';
  return (
    `${alert.title}${instance ? ` on${instance}` : ''}: value {{ humanize $values.B.Value }}, ` +
    `alerting when ${comparison} ${alert.threshold.value}.`
  );
}

/**
 * The panel each alert links to, whose exemplars lead to the traces behind it: Grafana puts the
 * panel's address in the notification and the alert's annotations (`__dashboardUid__`, `__panelId__`).
 */
const exemplarPanels: Record<string, string> = {
  'slow-responses': overviewPanels.latency,
  'high-error-rate': overviewPanels.errorRate,
};

/** The HTTP API's form of a rule's panel link; file-shape.ts moves it to the file's own fields. */
function panelAnnotations(alert: AlertDefinition): Record<string, string> {
  const title = exemplarPanels[alert.uid];
  if (title === undefined) return {};
  const { dashboardUid, panelId } = panelLink(overviewUid, title);
  return { __dashboardUid__: dashboardUid, __panelId__: String(panelId) };
}

/** The rule's own labels; the notification policy routes on severity and team. */
function ruleLabels(alert: AlertDefinition): Record<string, string> {
  return {
    severity: alert.severity,
    team: alert.team,
    service: alert.service === 'all' ? serviceFromSeries : alert.service,
  };
}

/**
 * The labels Grafana's ruler gives one alert instance (what Alertmanager routes): the query's
 * instance labels, the rule's labels (a `{{ $labels.x }}` filled from the instance), alertname
 * (the title) and grafana_folder (GRAFANA-NOTIFICATIONS.md: state.go GetRuleExtraLabels).
 */
export function alertInstanceLabels(
  alert: AlertDefinition,
  instance: InstanceLabels,
): Record<string, string> {
  const own = Object.entries(ruleLabels(alert)).map(([name, value]) => [
    name,
    value.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_match, label: string) => instance[label] ?? ''),
  ]);
  return {
    ...instance,
    ...Object.fromEntries(own),
    alertname: alert.title,
    grafana_folder: ruleGroup.folder,
  };
}

/** The threshold, with the catalog's recovery threshold as Grafana's unloadEvaluator. */
function thresholdCondition({ threshold, calmRecovery }: AlertDefinition) {
  const recover = calmRecovery?.recoverWhen;
  return {
    evaluator: { type: threshold.op, params: [threshold.value] },
    ...(recover ? { unloadEvaluator: { type: recover.op, params: [recover.value] } } : {}),
  };
}

function buildRule(alert: AlertDefinition): RuleBuilder {
  const dataQuery = new QueryBuilder('A')
    .datasourceUid(datasourceUids[alert.datasource])
    .relativeTimeRange({ from: queryLookbackSeconds, to: 0 })
    .model(dataModel(alert));
  if (alert.datasource === 'loki') dataQuery.queryType('instant');

  const rule = new RuleBuilder(alert.title)
    .uid(alert.uid)
    .condition('C')
    .withQuery(dataQuery)
    .withQuery(
      new QueryBuilder('B')
        .datasourceUid(expressionDatasourceUid)
        .relativeTimeRange({ from: 0, to: 0 })
        .model(
          new TypeReduceBuilder()
            .refId('B')
            .datasource(expressionDatasourceRef)
            .expression('A')
            .reducer(alert.reducer),
        ),
    )
    .withQuery(
      new QueryBuilder('C')
        .datasourceUid(expressionDatasourceUid)
        .relativeTimeRange({ from: 0, to: 0 })
        .model(
          new TypeThresholdBuilder()
            .refId('C')
            .datasource(expressionDatasourceRef)
            .expression('B')
            .conditions([thresholdCondition(alert)]),
        ),
    )
    .forDuration(alert.pendingPeriod)
    // Every query returns a value while healthy; no data means no traffic or no rows, not a fault.
    .noDataState('OK')
    // A failing query is shown as an error (DatasourceError), never as the alert itself.
    .execErrState('Error')
    .labels(ruleLabels(alert))
    .annotations({
      summary: alert.summary,
      description: describeAlert(alert),
      runbook_url: runbookUrl(alert.runbookAnchor),
      ...panelAnnotations(alert),
    });
  const keepFiringForSeconds = alert.calmRecovery?.keepFiringForSeconds;
  return keepFiringForSeconds ? rule.keepFiringFor(`${keepFiringForSeconds}s`) : rule;
}

/** The rule group in the SDK's HTTP-API shape; fileShape.ts turns it into a provisioning file. */
export function buildRuleGroup(): RuleGroup {
  return alertCatalog
    .reduce((group, alert) => group.withRule(buildRule(alert)), new RuleGroupBuilder(ruleGroup.name))
    .folderUid(ruleGroup.folder)
    .interval(ruleGroup.intervalSeconds)
    .build();
}
