// Small rules for the preview's unit tests: query A on a fake data source, reduce B, threshold C.
import type { PreviewDataSource } from '../preview/data-source.ts';
import type { PreviewRule } from '../preview/rule-document.ts';
import type { ExpressionValue } from '../preview/values.ts';

export function testRule(
  overrides: Partial<PreviewRule> & { above?: number; recoverBelow?: number; reducer?: string } = {},
): PreviewRule {
  const { above = 5, recoverBelow, reducer = 'last', ...rule } = overrides;
  const recovery =
    recoverBelow === undefined ? {} : { unloadEvaluator: { type: 'lt', params: [recoverBelow] } };
  return {
    uid: 'test-rule',
    title: 'Test rule',
    condition: 'C',
    data: [
      { refId: 'A', datasourceUid: 'fake', model: { expr: 'up' } },
      { refId: 'B', datasourceUid: '__expr__', model: { type: 'reduce', expression: 'A', reducer } },
      {
        refId: 'C',
        datasourceUid: '__expr__',
        model: {
          type: 'threshold',
          expression: 'B',
          conditions: [{ evaluator: { type: 'gt', params: [above] }, ...recovery }],
        },
      },
    ],
    forSeconds: 0,
    keepFiringForSeconds: 0,
    noDataState: 'OK',
    execErrState: 'Error',
    missingSeriesEvalsToResolve: 2,
    labels: {},
    annotations: {},
    ...rule,
  };
}

/** A data source that answers each query with the next value of `answers` (an Error throws). */
export function scriptedSource(
  answers: (ExpressionValue | Error)[],
): PreviewDataSource & { times: number[] } {
  const times: number[] = [];
  return {
    times,
    query(_model, atMs) {
      times.push(atMs);
      const answer = answers.shift() ?? { kind: 'noData' };
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
}

/** Numbers for a scripted answer: `{ service: 'api' }: 3` pairs. */
export function numbers(...entries: [Record<string, string>, number | null][]): ExpressionValue {
  return { kind: 'numbers', numbers: entries.map(([labels, value]) => ({ labels, value })) };
}
