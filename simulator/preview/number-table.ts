// SQL results in table format, read as Grafana's expression engine reads them
// (pkg/expr/converter.go, isNumberTable and extractNumberSet).
import type { LabelledNumber } from './values.ts';

export type ColumnKind = 'number' | 'string' | 'other';

export interface TableColumn {
  name: string;
  kind: ColumnKind;
  /** The database's type name, for messages. */
  typeName: string;
}

export interface Table {
  columns: TableColumn[];
  rows: Record<string, unknown>[];
}

/**
 * isNumberTable: exactly one numeric column and no column of any other kind than string.
 * extractNumberSet: one number per row, labelled by the row's string columns; NULL in the numeric
 * column reads as NaN (Field.FloatAt). Zero rows give no numbers, which the rule sees as NoData.
 * Grafana panics on a NULL in a label column (`val.(string)`); that is reported as an error here.
 */
export function numberSetFromTable(table: Table): LabelledNumber[] {
  const numeric = table.columns.filter((c) => c.kind === 'number');
  const other = table.columns.filter((c) => c.kind === 'other');
  if (numeric.length !== 1 || other.length > 0) {
    const found = [
      `${numeric.length} numeric column(s)`,
      ...other.map((c) => `column "${c.name}" of type ${c.typeName}`),
    ].join(', ');
    throw new Error(
      `not a number table (one numeric column and otherwise string columns are needed): found ${found}`,
    );
  }
  const valueColumn = numeric[0]!.name;
  const labelColumns = table.columns.filter((c) => c.kind === 'string').map((c) => c.name);
  return table.rows.map((row) => {
    const raw = row[valueColumn];
    const labels: Record<string, string> = {};
    for (const name of labelColumns) {
      const label = row[name];
      if (typeof label !== 'string') throw new Error(`NULL in the label column "${name}"`);
      labels[name] = label;
    }
    return { labels, value: raw === null || raw === undefined ? NaN : Number(raw) };
  });
}
