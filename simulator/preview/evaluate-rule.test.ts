import { describe, expect, it } from 'vitest';
import { evaluateRule } from './evaluate-rule.ts';
import { numbers, scriptedSource, testRule } from '../testing/test-rule.ts';
import type { ExpressionValue } from './values.ts';

const at = 1_700_000_000_000;

async function resultsFor(answer: ExpressionValue | Error, rule = testRule()) {
  const evaluation = await evaluateRule(rule, { fake: scriptedSource([answer]) }, at);
  if (!evaluation.evaluated) throw new Error(evaluation.reason);
  return evaluation.results;
}

describe('one evaluation (ngalert/eval evaluateExecutionResult), threshold above 5', () => {
  it.each<[string, ExpressionValue, { state: string; labels: object; value?: unknown }[]]>([
    [
      'per series: above fires, at or below does not',
      numbers([{ s: 'a' }, 6], [{ s: 'b' }, 5]),
      [
        { state: 'Alerting', labels: { s: 'a' }, value: 6 },
        { state: 'Normal', labels: { s: 'b' }, value: 5 },
      ],
    ],
    ['NaN never fires a threshold', numbers([{}, NaN]), [{ state: 'Normal', labels: {}, value: NaN }]],
    [
      'a null value is NoData for its instance',
      numbers([{ s: 'a' }, null]),
      [{ state: 'NoData', labels: { s: 'a' }, value: null }],
    ],
    ['no series is one NoData result', { kind: 'noData' }, [{ state: 'NoData', labels: {} }]],
    ['an empty number set is NoData too', numbers(), [{ state: 'NoData', labels: {} }]],
    [
      'series are reduced first (last point)',
      { kind: 'series', series: [{ labels: {}, points: [9, 1] }] },
      [{ state: 'Normal', labels: {}, value: 1 }],
    ],
  ])('%s', async (_, answer, expected) => {
    expect(await resultsFor(answer)).toEqual(expected);
  });

  it('two series with the same labels put the rule in Error', async () => {
    const [result, ...rest] = await resultsFor(numbers([{ sku: 'A' }, 1], [{ sku: 'A' }, 2]));
    expect(rest).toEqual([]);
    expect(result).toMatchObject({ state: 'Error', labels: { sku: 'A' } });
    expect(result?.error).toMatch(/duplicate results with labels \{sku=A\}/);
  });

  it('a failing query is one Error result naming the query', async () => {
    expect(await resultsFor(new Error('connection refused'))).toEqual([
      { state: 'Error', labels: {}, error: '[A] connection refused' },
    ]);
  });

  it('a threshold straight on a time series cannot be alerted on', async () => {
    const rule = testRule();
    rule.data[2]!.model.expression = 'A';
    const [result] = await resultsFor({ kind: 'series', series: [{ labels: {}, points: [9] }] }, rule);
    expect(result).toMatchObject({ state: 'Error', error: expect.stringMatching(/only reduced data/) });
  });

  it('queries at the tick', async () => {
    const source = scriptedSource([numbers([{}, 1])]);
    await evaluateRule(testRule(), { fake: source }, at);
    expect(source.times).toEqual([at]);
  });

  it.each<[string, (rule: ReturnType<typeof testRule>) => void, RegExp]>([
    [
      'a data source that is not configured',
      (r) => (r.data[0]!.datasourceUid = 'loki'),
      /needs the "loki" data source, which is not configured here/,
    ],
    ['a math expression', (r) => (r.data[1]!.model.type = 'math'), /type math/],
    ['an unknown reducer', (r) => (r.data[1]!.model.reducer = 'median'), /reducer median/],
    ['a reduce mode', (r) => (r.data[1]!.model.settings = { mode: 'dropNN' }), /reduce mode dropNN/],
    ['two threshold conditions', (r) => (r.data[2]!.model.conditions = [{}, {}]), /exactly one condition/],
    ['a missing condition', (r) => (r.condition = 'D'), /condition D/],
    ['an unsupported rule feature', (r) => (r.unsupported = 'uses keepFiringFor'), /keepFiringFor/],
  ])('does not evaluate a rule with %s, and says why', async (_, change, reason) => {
    const rule = testRule();
    change(rule);
    const evaluation = await evaluateRule(rule, { fake: scriptedSource([]) }, at);
    expect(evaluation).toEqual({ evaluated: false, reason: expect.stringMatching(reason) });
  });
});
