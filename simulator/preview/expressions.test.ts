import { describe, expect, it } from 'vitest';
import { reduce, threshold, thresholdProblem, type Reducer, type ThresholdType } from './expressions.ts';
import type { ExpressionValue } from './values.ts';

const series = (...points: (number | null)[]): ExpressionValue => ({
  kind: 'series',
  series: [{ labels: { s: 'x' }, points }],
});
const valueOf = (value: ExpressionValue) => (value.kind === 'numbers' ? value.numbers[0]?.value : value.kind);

describe('reduce (pkg/expr/mathexp/reduce.go, strict mode)', () => {
  it.each<[Reducer, (number | null)[], number | null]>([
    ['last', [1, 2, 3], 3],
    ['last', [NaN, 2], 2],
    ['last', [1, NaN], NaN],
    ['last', [1, null], null],
    ['last', [], NaN],
    ['max', [1, 5, 3], 5],
    ['max', [1, NaN], NaN],
    ['max', [1, null], NaN],
    ['max', [], NaN],
    ['min', [4, 2], 2],
    ['mean', [1, 2, 3], 2],
    ['mean', [1, NaN], NaN],
    ['mean', [], NaN],
    ['sum', [1, 2, 3], 6],
    ['sum', [1, null], NaN],
    ['sum', [], 0],
    ['count', [1, NaN, null], 3],
  ])('%s of %j is %s', (reducer, points, expected) => {
    expect(valueOf(reduce(series(...points), reducer))).toBe(expected);
  });

  it('passes numbers through unchanged ("Reduce operation is not needed") and keeps NoData', () => {
    const input: ExpressionValue = { kind: 'numbers', numbers: [{ labels: { a: 'b' }, value: NaN }] };
    expect(reduce(input, 'sum')).toEqual(input);
    expect(reduce({ kind: 'noData' }, 'last')).toEqual({ kind: 'noData' });
  });

  it('keeps each series its labels', () => {
    expect(reduce(series(1, 2), 'max')).toEqual({
      kind: 'numbers',
      numbers: [{ labels: { s: 'x' }, value: 2 }],
    });
  });
});

describe('threshold (pkg/expr/threshold.go predicates)', () => {
  const one = (value: number | null): ExpressionValue => ({
    kind: 'numbers',
    numbers: [{ labels: {}, value }],
  });
  it.each<[ThresholdType, number[], number | null, number | null]>([
    ['gt', [5], 6, 1],
    ['gt', [5], 5, 0],
    ['gt', [5], NaN, 0],
    ['lt', [1], 0, 1],
    ['lt', [1], 1, 0],
    ['lt', [1], NaN, 0],
    ['gte', [5], 5, 1],
    ['lte', [5], 6, 0],
    ['eq', [2], 2, 1],
    ['ne', [2], NaN, 1],
    ['within_range', [1, 3], 3, 0],
    ['within_range_included', [1, 3], 3, 1],
    ['outside_range', [1, 3], NaN, 0],
    ['outside_range_included', [1, 3], 1, 1],
    ['gt', [5], null, null],
  ])('%s %j of %s gives %s', (type, params, value, expected) => {
    expect(valueOf(threshold(one(value), { type, params }))).toBe(expected);
  });

  it('keeps NoData', () => {
    expect(threshold({ kind: 'noData' }, { type: 'gt', params: [1] })).toEqual({ kind: 'noData' });
  });

  it.each([
    [{ type: 'above', params: [1] }, /unknown threshold type above/],
    [{ type: 'gt', params: [] }, /needs 1/],
    [{ type: 'within_range', params: [1] }, /needs 2/],
  ])('refuses %j', (evaluator, message) => {
    expect(thresholdProblem(evaluator)).toMatch(message);
  });
});
