import type postgres from 'postgres';
import { modelText, type PreviewDataSource } from './data-source.ts';
import { numberSetFromTable, type ColumnKind } from './number-table.ts';
import type { ExpressionValue } from './values.ts';

// PostgreSQL type oids by how Grafana's PostgreSQL data source types the column: int2, int4,
// int8, float4, float8 and numeric are numbers; text, varchar, bpchar, name, char and uuid
// strings; everything else (timestamps, booleans, json, …) is another kind.
const numberOids = new Set([21, 23, 20, 700, 701, 1700]);
const stringOids = new Set([25, 1043, 1042, 19, 18, 2950]);

function columnKind(oid: number): ColumnKind {
  if (numberOids.has(oid)) return 'number';
  if (stringOids.has(oid)) return 'string';
  return 'other';
}

/**
 * SQL queries in table format (rawSql run as written: Grafana's macros are not expanded, so a
 * query that uses one is refused). Zero rows is NoData.
 */
export function postgresSource(sql: postgres.Sql): PreviewDataSource {
  return {
    async query(model): Promise<ExpressionValue> {
      const rawSql = modelText(model, 'rawSql');
      if ((model.format ?? 'table') !== 'table')
        throw new Error(`SQL format ${String(model.format)} is not modelled`);
      if (rawSql.includes('$__'))
        throw new Error('Grafana SQL macros ($__…) are not expanded by the preview');
      const rows = await sql.unsafe(rawSql);
      const numbers = numberSetFromTable({
        columns: rows.columns.map((c) => ({
          name: c.name,
          kind: columnKind(c.type),
          typeName: `oid ${c.type}`,
        })),
        rows: [...rows] as Record<string, unknown>[],
      });
      return numbers.length === 0 ? { kind: 'noData' } : { kind: 'numbers', numbers };
    },
  };
}
