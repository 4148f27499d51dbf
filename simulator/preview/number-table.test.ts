import { describe, expect, it } from 'vitest';
import { numberSetFromTable, type TableColumn } from './number-table.ts';

const sku: TableColumn = { name: 'sku', kind: 'string', typeName: 'text' };
const stock: TableColumn = { name: 'stock', kind: 'number', typeName: 'int4' };

describe('SQL tables as number sets (pkg/expr/converter.go)', () => {
  it('one number per row, labelled by the string columns; NULL is NaN; numeric strings are numbers', () => {
    const rows = [
      { sku: 'A', stock: 3 },
      { sku: 'B', stock: null },
      { sku: 'C', stock: '12.5' },
    ];
    expect(numberSetFromTable({ columns: [sku, stock], rows })).toEqual([
      { labels: { sku: 'A' }, value: 3 },
      { labels: { sku: 'B' }, value: NaN },
      { labels: { sku: 'C' }, value: 12.5 },
    ]);
  });

  it('a single numeric column gives one unlabelled number; zero rows give none (NoData)', () => {
    expect(numberSetFromTable({ columns: [stock], rows: [{ stock: 7 }] })).toEqual([
      { labels: {}, value: 7 },
    ]);
    expect(numberSetFromTable({ columns: [sku, stock], rows: [] })).toEqual([]);
  });

  it.each([
    ['two numeric columns', [stock, { ...stock, name: 'threshold' }], /2 numeric column/],
    ['no numeric column', [sku], /0 numeric column/],
    [
      'a timestamp column',
      [stock, { name: 'at', kind: 'other', typeName: 'timestamptz' }],
      /column "at" of type timestamptz/,
    ],
    ['a boolean column', [stock, { name: 'ok', kind: 'other', typeName: 'bool' }], /not a number table/],
  ] as [string, TableColumn[], RegExp][])('refuses %s', (_, columns, message) => {
    expect(() => numberSetFromTable({ columns, rows: [] })).toThrow(message);
  });

  it('refuses a NULL label', () => {
    expect(() => numberSetFromTable({ columns: [sku, stock], rows: [{ sku: null, stock: 1 }] })).toThrow(
      /NULL in the label column "sku"/,
    );
  });
});
