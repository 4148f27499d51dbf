// The values that flow between a rule's queries and expressions, after Grafana's server-side
// expressions (pkg/expr/mathexp): numbers (one value per label set, possibly null), series (a
// list of points per label set) and NoData.

export type Labels = Record<string, string>;

export interface LabelledNumber {
  labels: Labels;
  /** null: no value (Grafana's nil *float64); NaN stays NaN. */
  value: number | null;
}

export interface LabelledSeries {
  labels: Labels;
  points: (number | null)[];
}

export type ExpressionValue =
  | { kind: 'numbers'; numbers: LabelledNumber[] }
  | { kind: 'series'; series: LabelledSeries[] }
  | { kind: 'noData' };

export const noData: ExpressionValue = { kind: 'noData' };

/** Grafana's data.Labels.String(): keys sorted, `{a=b, c=d}`. Identifies an instance. */
export function labelsKey(labels: Labels): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`);
  return `{${pairs.join(', ')}}`;
}
