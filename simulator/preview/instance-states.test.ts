import { describe, expect, it } from 'vitest';
import type { EvalResult } from './evaluate-rule.ts';
import { instanceLabels, RuleInstances } from './instance-states.ts';
import type { PreviewRule } from './rule-document.ts';
import { testRule } from '../testing/test-rule.ts';

const intervalSeconds = 10;

// One letter per result: T true (Alerting), F false (Normal), N NoData, E Error; the series
// label s tells instances apart ("Ta" is series a true). NoData and Error results carry no labels.
function results(spec: string): EvalResult[] {
  return spec.split(' ').map((item): EvalResult => {
    const [code, series] = [item[0], item.slice(1)];
    const labels: Record<string, string> = series ? { s: series } : {};
    if (code === 'T') return { state: 'Alerting', labels, value: 9 };
    if (code === 'F') return { state: 'Normal', labels, value: 1 };
    if (code === 'N') return { state: 'NoData', labels: {} };
    return { state: 'Error', labels: {}, error: 'boom' };
  });
}

/** Applies one evaluation per tick; gives each tick's state of the instance with series label `s` ('' = none). */
function statesOf(rule: Partial<PreviewRule>, ticks: string[], s: string): string[] {
  const instances = new RuleInstances(testRule(rule), intervalSeconds);
  return ticks.map((spec, i) => {
    instances.apply(results(spec), i * intervalSeconds * 1000);
    const instance = instances.instances().find((x) => (x.labels.s ?? '') === s);
    return instance ? instance.state + (instance.reason ? ` (${instance.reason})` : '') : 'gone';
  });
}

describe('instance states over ticks (ngalert/state), 10 s interval', () => {
  it.each<[string, Partial<PreviewRule>, string[], string, string[]]>([
    [
      'for 30s: Pending, held across true ticks, Alerting once 30 s have passed',
      { forSeconds: 30 },
      ['T', 'T', 'T', 'T'],
      '',
      ['Pending', 'Pending', 'Pending', 'Alerting'],
    ],
    [
      'for 30s: a false tick breaks Pending',
      { forSeconds: 30 },
      ['T', 'T', 'F', 'T', 'T'],
      '',
      ['Pending', 'Pending', 'Normal', 'Pending', 'Pending'],
    ],
    [
      'for 30s: Alerting returns to Normal on the first false tick',
      { forSeconds: 30 },
      ['T', 'T', 'T', 'T', 'F'],
      '',
      ['Pending', 'Pending', 'Pending', 'Alerting', 'Normal'],
    ],
    [
      'for 0s: straight to Alerting',
      { forSeconds: 0 },
      ['F', 'T', 'T', 'F'],
      '',
      ['Normal', 'Alerting', 'Alerting', 'Normal'],
    ],
    [
      'for 15s: fires on the second tick after Pending began',
      { forSeconds: 15 },
      ['T', 'T', 'T'],
      '',
      ['Pending', 'Pending', 'Alerting'],
    ],

    [
      'NoData → OK: existing instances go Normal',
      { noDataState: 'OK' },
      ['Ta', 'N', 'Ta'],
      'a',
      ['Alerting', 'Normal (NoData)', 'Alerting'],
    ],
    [
      'NoData → OK with no instances yet: one Normal instance',
      { noDataState: 'OK' },
      ['N'],
      '',
      ['Normal (NoData)'],
    ],
    [
      'NoData → Alerting: existing instances fire',
      { noDataState: 'Alerting', forSeconds: 10 },
      ['Fa', 'N', 'N'],
      'a',
      ['Normal', 'Pending (NoData)', 'Alerting (NoData)'],
    ],
    [
      'NoData → KeepLast: Alerting stays',
      { noDataState: 'KeepLast' },
      ['Ta', 'N', 'N'],
      'a',
      ['Alerting', 'Alerting (NoData, KeepLast)', 'Alerting (NoData, KeepLast)'],
    ],
    [
      'NoData → KeepLast: Pending keeps counting `for`',
      { noDataState: 'KeepLast', forSeconds: 30 },
      ['Ta', 'Ta', 'N', 'N'],
      'a',
      ['Pending', 'Pending', 'Pending (NoData, KeepLast)', 'Alerting (NoData, KeepLast)'],
    ],
    [
      'NoData → NoData: its own NoData instance',
      { noDataState: 'NoData' },
      ['Ta', 'N', 'N'],
      '',
      ['gone', 'NoData', 'NoData'],
    ],
    [
      'NoData → NoData: the old series is missing, then resolved',
      { noDataState: 'NoData' },
      ['Ta', 'N', 'N'],
      'a',
      ['Alerting', 'Alerting', 'gone'],
    ],

    [
      'Error → Error: its own Error instance',
      { execErrState: 'Error' },
      ['Ta', 'E', 'E'],
      '',
      ['gone', 'Error', 'Error'],
    ],
    [
      'Error → Error: the old series is missing, then resolved',
      { execErrState: 'Error' },
      ['Ta', 'E', 'E'],
      'a',
      ['Alerting', 'Alerting', 'gone'],
    ],
    [
      'Error → Alerting: existing instances fire',
      { execErrState: 'Alerting' },
      ['Fa', 'E'],
      'a',
      ['Normal', 'Alerting (Error)'],
    ],
    [
      'Error → OK: existing instances go Normal',
      { execErrState: 'OK' },
      ['Ta', 'E'],
      'a',
      ['Alerting', 'Normal (Error)'],
    ],
    [
      'Error → KeepLast: Alerting stays',
      { execErrState: 'KeepLast' },
      ['Ta', 'E'],
      'a',
      ['Alerting', 'Alerting (Error, KeepLast)'],
    ],
    [
      'Error then data again: the Error instance resolves after one missing tick',
      { execErrState: 'Error' },
      ['E', 'Fa'],
      '',
      ['Error', 'gone'],
    ],

    [
      'a missing series keeps its state for one tick, resolves after two (default)',
      {},
      ['Ta Fb', 'Fb', 'Fb'],
      'a',
      ['Alerting', 'Alerting', 'gone'],
    ],
    [
      'missing_series_evals_to_resolve 1',
      { missingSeriesEvalsToResolve: 1 },
      ['Ta Fb', 'Fb'],
      'a',
      ['Alerting', 'gone'],
    ],
    [
      'a missing Pending instance keeps its start: back after a gap it fires on time',
      { forSeconds: 30 },
      ['Ta Fb', 'Fb', 'Ta Fb', 'Ta Fb'],
      'a',
      ['Pending', 'Pending', 'Pending', 'Alerting'],
    ],
    [
      'a NoData instance resolves after one missing tick',
      { noDataState: 'NoData' },
      ['N', 'Fa'],
      '',
      ['NoData', 'gone'],
    ],
  ])('%s', (_, rule, ticks, series, expected) => {
    expect(statesOf(rule, ticks, series)).toEqual(expected);
  });

  it('reports each change with its tick, value and reason', () => {
    const instances = new RuleInstances(testRule({ forSeconds: 10, noDataState: 'OK' }), intervalSeconds);
    const changes = [results('Ta'), results('Ta'), results('Ta'), results('N')].flatMap((r, i) =>
      instances.apply(r, i * 10_000),
    );
    expect(changes).toEqual([
      { labels: { s: 'a' }, from: 'Normal', to: 'Pending', atMs: 0, value: 9, reason: '' },
      { labels: { s: 'a' }, from: 'Pending', to: 'Alerting', atMs: 10_000, value: 9, reason: '' },
      {
        labels: { s: 'a' },
        from: 'Alerting',
        to: 'Normal',
        atMs: 30_000,
        value: undefined,
        reason: 'NoData',
      },
    ]);
  });

  it('starts a state at the tick it began and keeps that start while it holds', () => {
    const instances = new RuleInstances(testRule({ forSeconds: 20 }), intervalSeconds);
    for (const [i, spec] of ['T', 'T', 'T', 'T'].entries()) instances.apply(results(spec), i * 10_000);
    expect(instances.instances()[0]).toMatchObject({
      state: 'Alerting',
      sinceMs: 20_000,
      lastEvaluatedMs: 30_000,
    });
  });
});

describe('instance labels (ngalert/state/cache.go)', () => {
  it('expands rule label templates with the series labels; rule labels win', () => {
    const rule = testRule({
      labels: { service: '{{ $labels.service }}', severity: 'critical', team: 'shop' },
    });
    expect(instanceLabels(rule, { service: 'api', team: 'other', sku: 'A' })).toEqual({
      service: 'api',
      severity: 'critical',
      team: 'shop',
      sku: 'A',
    });
  });

  it('a series without the label gets an empty value', () => {
    const rule = testRule({ labels: { service: '{{ $labels.service }}' } });
    expect(instanceLabels(rule, {})).toEqual({ service: '' });
  });
});
