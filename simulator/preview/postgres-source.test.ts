import type postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { postgresSource } from './postgres-source.ts';

// postgres.js answers sql.unsafe() with the rows and their columns' type oids; a fake does the same.
function fakeSql(columns: { name: string; type: number }[], rows: Record<string, unknown>[]) {
  const queries: string[] = [];
  const sql = {
    unsafe: (text: string) => {
      queries.push(text);
      return Promise.resolve(Object.assign([...rows], { columns }));
    },
  } as unknown as postgres.Sql;
  return { sql, queries };
}

const int8 = 20;
const numeric = 1700;
const text = 25;
const timestamptz = 1184;

describe('the PostgreSQL data source (table format)', () => {
  it('runs rawSql as written and reads the table as a number set (int8 and numeric arrive as strings)', async () => {
    const { sql, queries } = fakeSql(
      [
        { name: 'sku', type: text },
        { name: 'headroom', type: numeric },
      ],
      [
        { sku: 'A', headroom: '-2.5' },
        { sku: 'B', headroom: null },
      ],
    );
    expect(
      await postgresSource(sql).query({ rawSql: 'SELECT sku, headroom FROM v', format: 'table' }, 0),
    ).toEqual({
      kind: 'numbers',
      numbers: [
        { labels: { sku: 'A' }, value: -2.5 },
        { labels: { sku: 'B' }, value: NaN },
      ],
    });
    expect(queries).toEqual(['SELECT sku, headroom FROM v']);
  });

  it('zero rows is NoData', async () => {
    const { sql } = fakeSql([{ name: 'n', type: int8 }], []);
    expect(await postgresSource(sql).query({ rawSql: 'SELECT n FROM v' }, 0)).toEqual({ kind: 'noData' });
  });

  it.each([
    [{ rawSql: 'SELECT at, n FROM v' }, /column "at" of type oid 1184/],
    [{ rawSql: 'SELECT n FROM v WHERE $__timeFilter(at)' }, /macros/],
    [{ rawSql: 'SELECT n FROM v', format: 'time_series' }, /format time_series/],
    [{}, /no rawSql/],
  ])('refuses %j', async (model, message) => {
    const { sql } = fakeSql(
      [
        { name: 'at', type: timestamptz },
        { name: 'n', type: int8 },
      ],
      [{ at: new Date(), n: '1' }],
    );
    await expect(postgresSource(sql).query(model, 0)).rejects.toThrow(message);
  });
});
