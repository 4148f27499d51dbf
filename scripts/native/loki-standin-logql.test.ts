import { describe, expect, it } from 'vitest';
import {
  evaluateInstant,
  evaluateLogQuery,
  jsonLabels,
  parseMetricQuery,
  parseQuery,
  UnsupportedQuery,
  type LogEntry,
} from './loki-standin-logql.ts';

const second = 1_000_000_000n;
const at = 1_000n * second;

function entry(secondsBefore: number, labels: Record<string, string>, line: string): LogEntry {
  return { labels, line, timeNs: at - BigInt(secondsBefore) * second };
}

const entries: LogEntry[] = [
  entry(10, { service: 'payment', level: 'error' }, '{"msg":"payment failed"}'),
  entry(20, { service: 'payment', level: 'error' }, '{"msg":"payment failed","reason":"timeout"}'),
  entry(30, { service: 'payment', level: 'info' }, '{"msg":"payment failed"}'),
  entry(40, { service: 'api', level: 'error' }, '{"msg":"payment failed"}'),
  entry(50, { service: 'payment', level: 'error' }, '{"msg":"request completed"}'),
  entry(400, { service: 'payment', level: 'error' }, '{"msg":"payment failed"}'),
];

const run = (query: string) => evaluateInstant(parseMetricQuery(query), entries, at);

describe('the stand-in LogQL subset', () => {
  it.each([
    [
      'count_over_time: one series per stream, labels kept',
      'count_over_time({service="payment"} |= "payment failed" [1m])',
      [
        { metric: { service: 'payment', level: 'error' }, value: 2 },
        { metric: { service: 'payment', level: 'info' }, value: 1 },
      ],
    ],
    [
      '= matchers select streams',
      'count_over_time({service="payment", level="error"}[1m])',
      [{ metric: { service: 'payment', level: 'error' }, value: 3 }],
    ],
    [
      '|= filters lines; several filters all apply',
      'count_over_time({level="error"} |= "payment" |= "timeout" [1m])',
      [{ metric: { service: 'payment', level: 'error' }, value: 1 }],
    ],
    [
      'the range decides the window',
      'count_over_time({service="payment", level="error"}[10m])',
      [{ metric: { service: 'payment', level: 'error' }, value: 4 }],
    ],
    [
      'sum without grouping: one series {}',
      'sum(count_over_time({level="error"} |= "payment failed" [1m]))',
      [{ metric: {}, value: 3 }],
    ],
    [
      'sum by (service)',
      'sum by (service) (count_over_time({level="error"} |= "payment failed" [1m]))',
      [
        { metric: { service: 'payment' }, value: 2 },
        { metric: { service: 'api' }, value: 1 },
      ],
    ],
    ['sum of nothing is nothing', 'sum(count_over_time({service="nope"}[1m]))', []],
    [
      'or vector(0) fills an empty result',
      'sum(count_over_time({service="nope"}[1m])) or vector(0)',
      [{ metric: {}, value: 0 }],
    ],
    [
      'or vector(0) leaves a {} result alone',
      'sum(count_over_time({service="api"}[1m])) or vector(0)',
      [{ metric: {}, value: 1 }],
    ],
    [
      'or adds vector(0) beside other label sets, as PromQL does',
      'sum by (service) (count_over_time({service="api"}[1m])) or vector(0)',
      [
        { metric: { service: 'api' }, value: 1 },
        { metric: {}, value: 0 },
      ],
    ],
    ['parentheses', '(sum(count_over_time({service="api"}[1m])))', [{ metric: {}, value: 1 }]],
    [
      'sum by a label | json extracted',
      'sum by (reason) (count_over_time({service="payment", level="error"} |= "payment failed" | json [1m]))',
      [
        { metric: {}, value: 1 },
        { metric: { reason: 'timeout' }, value: 1 },
      ],
    ],
  ])('%s', (_, query, expected) => {
    expect(run(query)).toEqual(expected);
  });

  it('counts (t - range, t]: the end is in, the start is out', () => {
    const query = parseMetricQuery('count_over_time({service="api"}[10s])');
    const line = entries[3]!;
    expect(evaluateInstant(query, [line], line.timeNs)).toHaveLength(1);
    expect(evaluateInstant(query, [line], line.timeNs - 1n)).toHaveLength(0);
    expect(evaluateInstant(query, [line], line.timeNs + 10n * second - 1n)).toHaveLength(1);
    expect(evaluateInstant(query, [line], line.timeNs + 10n * second)).toHaveLength(0);
  });

  it.each([
    ['{service="payment"}', /a log query/],
    ['count_over_time({service!="payment"}[1m])', /matcher operator !=/],
    ['count_over_time({service=~"pay.*"}[1m])', /matcher operator =~/],
    ['count_over_time({service="payment"} != "ok" [1m])', /line filter !=/],
    ['count_over_time({service="payment"} |~ "fail.*" [1m])', /line filter \|~/],
    ['count_over_time({service="payment"} |= "a" or "b" [1m])', /`or` inside a line filter/],
    ['count_over_time({service="payment"} | json reason="reason" [1m])', /`\| json` with parameters/],
    ['count_over_time({service="payment"} | level="error" [1m])', /pipeline stage other than a line filter/],
    ['rate({service="payment"}[1m])', /range function rate/],
    ['count_over_time({service="payment"}[1m] offset 1m)', /offset/],
    ['count_over_time({service="payment"}[11m])', /range over 10m/],
    ['avg(count_over_time({service="payment"}[1m]))', /aggregation avg/],
    ['sum without (level) (count_over_time({service="payment"}[1m]))', /grouping `without`/],
    ['sum(count_over_time({a="b"}[1m])) and vector(0)', /operator and/],
    ['sum(count_over_time({a="b"}[1m])) + vector(1)', /operator \+/],
    ['sum(count_over_time({a="b"}[1m])) or on (a) vector(0)', /vector matching modifier/],
    ['label_replace(vector(1), "a", "b", "c", "d")', /label_replace/],
    ['sum(count_over_time({a="b"}[1m]', /parse error at column/],
    ['', /parse error|Expr/],
  ])('refuses %s, naming the construct', (query, message) => {
    expect(() => parseMetricQuery(query)).toThrow(UnsupportedQuery);
    expect(() => parseMetricQuery(query)).toThrow(message);
  });
});

describe('the stand-in | json', () => {
  it('flattens nested objects with _, skips arrays and nulls, keeps numbers and booleans as written', () => {
    const line = JSON.stringify({
      msg: 'x',
      err: { code: 'E1', 'http-status': 502 },
      tags: ['a'],
      none: null,
      ok: false,
    });
    expect(jsonLabels(line, { service: 'api' })).toEqual({
      service: 'api',
      msg: 'x',
      err_code: 'E1',
      err_http_status: '502',
      ok: 'false',
    });
  });

  it('suffixes a name the stream already has with _extracted, and marks a line that is not JSON', () => {
    expect(jsonLabels('{"level":50}', { level: 'error' })).toEqual({ level: 'error', level_extracted: '50' });
    expect(jsonLabels('plain text', { service: 'api' })).toEqual({
      service: 'api',
      __error__: 'JSONParserErr',
    });
  });
});

describe('the stand-in log queries', () => {
  const range = { startNs: at - 60n * second, endNs: at, limit: 100, direction: 'backward' as const };
  const logQuery = (query: string) => {
    const parsed = parseQuery(query);
    if (parsed.kind !== 'log') throw new Error(`${query} is not a log query`);
    return parsed;
  };

  it('returns the lines of the range, newest first, grouped into streams by their labels', () => {
    const streams = evaluateLogQuery(logQuery('{service="payment"} |= "payment failed"'), entries, range);
    expect(
      streams.map((s) => [s.labels.level, s.entries.map((e) => Number((at - e.timeNs) / second))]),
    ).toEqual([
      ['error', [10, 20]],
      ['info', [30]],
    ]);
  });

  it('keeps the limit, oldest first when asked forward, and the pipeline labels', () => {
    const forward = { ...range, limit: 1, direction: 'forward' as const };
    const [stream] = evaluateLogQuery(
      logQuery('{service="payment", level="error"} | json'),
      entries,
      forward,
    );
    expect(stream?.entries.map((e) => Number((at - e.timeNs) / second))).toEqual([50]);
    expect(stream?.labels).toEqual({ service: 'payment', level: 'error', msg: 'request completed' });
  });

  it('is refused as an instant query', () => {
    expect(() => parseMetricQuery('{service="payment"} | json')).toThrow(/a log query in an instant query/);
  });
});
