// The data sources, provisioned with pinned uids so rules and dashboards can name them; Tempo and
// the links between traces, logs and metrics come from trace-links.ts.
import type { DatasourceKind } from '../../domain/alerts.ts';
import { envRef, toProvisioningValue } from './provisioning-strings.ts';
import { lokiTraceLink, prometheusExemplarLink, tempoDatasourceEntry } from './trace-links.ts';

export const datasourceTypes: Record<DatasourceKind, string> = {
  prometheus: 'prometheus',
  loki: 'loki',
  postgres: 'grafana-postgresql-datasource',
};

/** Pinned uids: the kind's own name. */
export const datasourceUids: Record<DatasourceKind, string> = {
  prometheus: 'prometheus',
  loki: 'loki',
  postgres: 'postgres',
};

export const expressionDatasourceUid = '__expr__';

export function datasourceRef(kind: DatasourceKind): { type: string; uid: string } {
  return { type: datasourceTypes[kind], uid: datasourceUids[kind] };
}

export const expressionDatasourceRef = { type: expressionDatasourceUid, uid: expressionDatasourceUid };

/**
 * The read-only PostgreSQL role Grafana signs in as (postgres/init.sql creates it and grants it
 * SELECT on what the dashboards and rules read); its password is GRAFANA_DB_PASSWORD.
 */
export const grafanaDatabaseRole = 'shopfast_grafana';

/** Host names are the Docker Compose service names. Grafana expands `$` in every field here. */
export function datasourcesDocument(): object {
  return toProvisioningValue({
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus',
        type: datasourceTypes.prometheus,
        uid: datasourceUids.prometheus,
        access: 'proxy',
        url: 'http://prometheus:9090',
        isDefault: true,
        editable: false,
        // timeInterval = the scrape interval, so $__rate_interval covers at least 4 scrapes.
        jsonData: { httpMethod: 'POST', timeInterval: '5s', ...prometheusExemplarLink() },
      },
      {
        name: 'Loki',
        type: datasourceTypes.loki,
        uid: datasourceUids.loki,
        access: 'proxy',
        url: 'http://loki:3100',
        editable: false,
        jsonData: { maxLines: 1000, ...lokiTraceLink() },
      },
      {
        name: 'PostgreSQL',
        type: datasourceTypes.postgres,
        uid: datasourceUids.postgres,
        access: 'proxy',
        url: 'postgres:5432',
        user: grafanaDatabaseRole,
        editable: false,
        // Grafana 12 reads the database name from jsonData, the password from secureJsonData.
        jsonData: { database: 'shopfast', sslmode: 'disable', postgresVersion: 1500, timescaledb: false },
        secureJsonData: { password: envRef('GRAFANA_DB_PASSWORD') },
      },
      tempoDatasourceEntry({ lokiUid: datasourceUids.loki, prometheusUid: datasourceUids.prometheus }),
    ],
  });
}
