// Grafana's reduce and threshold expressions (server-side expressions, pkg/expr), as the rules use
// them: query A → reduce B → threshold C.
import { labelsKey, type ExpressionValue, type LabelledNumber } from './values.ts';

export type Reducer = 'last' | 'max' | 'min' | 'mean' | 'sum' | 'count';

// pkg/expr/mathexp/reduce.go without a mode ("strict"): a null or NaN point makes sum, mean, min
// and max NaN; min, max and last of an empty series are NaN, mean of one is 0/0 = NaN, sum is 0;
// last returns the last point as it is (null stays null, so the instance becomes NoData).
const reducers: Record<Reducer, (points: (number | null)[]) => number | null> = {
  sum: (points) =>
    points.some((p) => p === null || Number.isNaN(p)) ? NaN : points.reduce<number>((a, p) => a + p!, 0),
  mean: (points) => reducers.sum(points)! / points.length,
  min: (points) =>
    points.length === 0 || points.some((p) => p === null || Number.isNaN(p))
      ? NaN
      : Math.min(...(points as number[])),
  max: (points) =>
    points.length === 0 || points.some((p) => p === null || Number.isNaN(p))
      ? NaN
      : Math.max(...(points as number[])),
  count: (points) => points.length,
  last: (points) => (points.length === 0 ? NaN : points.at(-1)!),
};

export function isReducer(name: unknown): name is Reducer {
  return typeof name === 'string' && name in reducers;
}

/**
 * ReduceCommand.Execute (pkg/expr/commands.go): each series becomes one number; input that is
 * already numbers passes through unchanged (Grafana adds the notice "Reduce operation is not
 * needed"); NoData stays NoData.
 */
export function reduce(input: ExpressionValue, reducer: Reducer): ExpressionValue {
  switch (input.kind) {
    case 'noData':
    case 'numbers':
      return input;
    case 'series':
      return {
        kind: 'numbers',
        numbers: input.series.map((s) => ({ labels: s.labels, value: reducers[reducer](s.points) })),
      };
  }
}

export type ThresholdType =
  | 'gt'
  | 'lt'
  | 'eq'
  | 'ne'
  | 'gte'
  | 'lte'
  | 'within_range'
  | 'outside_range'
  | 'within_range_included'
  | 'outside_range_included';

// The predicates of pkg/expr/threshold.go (Grafana 11+): plain float comparisons, so a NaN value
// is never above, below or within anything and never fires (outside_range included).
const predicates: Record<ThresholdType, (v: number, [a, b]: number[]) => boolean> = {
  gt: (v, [a]) => v > a!,
  lt: (v, [a]) => v < a!,
  eq: (v, [a]) => v === a,
  ne: (v, [a]) => v !== a,
  gte: (v, [a]) => v >= a!,
  lte: (v, [a]) => v <= a!,
  within_range: (v, [a, b]) => v > a! && v < b!,
  outside_range: (v, [a, b]) => v < a! || v > b!,
  within_range_included: (v, [a, b]) => v >= a! && v <= b!,
  outside_range_included: (v, [a, b]) => v <= a! || v >= b!,
};

const rangeTypes = new Set<ThresholdType>([
  'within_range',
  'outside_range',
  'within_range_included',
  'outside_range_included',
]);

export interface ThresholdEvaluator {
  type: ThresholdType;
  params: number[];
}

/** NewThresholdCommand's checks: a known type and enough parameters; the message says what is wrong. */
export function thresholdProblem(evaluator: { type?: unknown; params?: unknown }): string | null {
  const { type, params } = evaluator;
  if (typeof type !== 'string' || !(type in predicates)) return `unknown threshold type ${String(type)}`;
  const needed = rangeTypes.has(type as ThresholdType) ? 2 : 1;
  if (!Array.isArray(params) || params.length < needed || !params.every((p) => typeof p === 'number'))
    return `threshold ${type} needs ${needed} numeric parameter(s)`;
  return null;
}

/** ThresholdCommand.Execute: 1 where the predicate holds, else 0; a null value stays null. */
export function threshold(input: ExpressionValue, evaluator: ThresholdEvaluator): ExpressionValue {
  const test = (n: LabelledNumber): LabelledNumber => ({
    labels: n.labels,
    value: n.value === null ? null : predicates[evaluator.type](n.value, evaluator.params) ? 1 : 0,
  });
  switch (input.kind) {
    case 'noData':
      return input;
    case 'numbers':
      return { kind: 'numbers', numbers: input.numbers.map(test) };
    case 'series':
      return {
        kind: 'series',
        series: input.series.map((s) => ({
          labels: s.labels,
          points: s.points.map((value) => test({ labels: s.labels, value }).value),
        })),
      };
  }
}

/**
 * HysteresisCommand.Execute (pkg/expr/hysteresis.go): series not loaded meet the plain threshold;
 * loaded ones (firing or pending, by their labels before rule labels) keep firing until the
 * recovery predicate holds — the unload threshold runs inverted, so NaN keeps firing.
 */
export function hysteresis(
  input: ExpressionValue,
  load: ThresholdEvaluator,
  unload: ThresholdEvaluator,
  loaded: ReadonlySet<string>,
): ExpressionValue {
  if (input.kind !== 'numbers') return threshold(input, load);
  const numbers = input.numbers.map((n): LabelledNumber => {
    if (n.value === null) return n;
    const isLoaded = loaded.has(labelsKey(n.labels));
    const fires = isLoaded
      ? !predicates[unload.type](n.value, unload.params)
      : predicates[load.type](n.value, load.params);
    return { labels: n.labels, value: fires ? 1 : 0 };
  });
  return { kind: 'numbers', numbers };
}
