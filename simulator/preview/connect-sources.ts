import postgres from 'postgres';
import { datasourceUids } from '../../grafana/src/index.ts';
import type { PreviewDataSources } from './data-source.ts';
import { lokiSource } from './loki-source.ts';
import { postgresSource } from './postgres-source.ts';
import { prometheusSource } from './prometheus-source.ts';

/** Where the preview finds each data source; one left out makes its rules "not evaluated". */
export interface DataSourceUrls {
  prometheusUrl?: string | null;
  /** A real Loki or the native runner's stand-in. */
  lokiUrl?: string | null;
  databaseUrl?: string | null;
}

export interface ConnectedSources {
  sources: PreviewDataSources;
  /** Closes the database connections. */
  close(): Promise<void>;
}

/** The provisioned data sources (by their pinned uids) at the given URLs. */
export function connectDataSources(urls: DataSourceUrls): ConnectedSources {
  const sql = urls.databaseUrl ? postgres(urls.databaseUrl, { max: 2, onnotice: () => {} }) : null;
  return {
    sources: {
      ...(urls.prometheusUrl ? { [datasourceUids.prometheus]: prometheusSource(urls.prometheusUrl) } : {}),
      ...(urls.lokiUrl ? { [datasourceUids.loki]: lokiSource(urls.lokiUrl) } : {}),
      ...(sql ? { [datasourceUids.postgres]: postgresSource(sql) } : {}),
    },
    close: async () => {
      await sql?.end({ timeout: 5 });
    },
  };
}
