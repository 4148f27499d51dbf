// The SDK has no PostgreSQL query builder; this one emits the model Grafana's SQL data source reads.
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { datasourceRef } from './datasources.ts';

export interface PostgresQuery extends Dataquery {
  refId: string;
  datasource: { type: string; uid: string };
  rawSql: string;
  format: 'table' | 'time_series';
  editorMode: 'code';
  rawQuery: true;
}

export class PostgresQueryBuilder implements Builder<PostgresQuery> {
  private readonly query: PostgresQuery;

  constructor(rawSql: string, format: PostgresQuery['format'] = 'table') {
    this.query = {
      refId: 'A',
      datasource: datasourceRef('postgres'),
      rawSql,
      format,
      editorMode: 'code',
      rawQuery: true,
      _implementsDataqueryVariant() {},
    };
  }

  refId(refId: string): this {
    this.query.refId = refId;
    return this;
  }

  build(): PostgresQuery {
    return this.query;
  }
}
