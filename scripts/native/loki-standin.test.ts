import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startLokiStandIn } from './loki-standin.ts';
import { clearRecordedLogs, recordedLogs } from '../../test/support/loki.ts';

const recorder = await startLokiStandIn();
afterAll(() => recorder.close());
beforeEach(() => recorder.clear());

function push(
  body: string | Buffer,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  return fetch(`${recorder.url}/loki/api/v1/push`, { method: 'POST', headers, body });
}

const validPush = {
  streams: [
    { stream: { service: 'api', level: 'info' }, values: [['1700000000000000000', '{"msg":"one"}']] },
    {
      stream: { service: 'payment', level: 'error' },
      values: [['1700000000000000001', '{"msg":"payment failed"}', { orderId: 'o-1' }]],
    },
  ],
};

describe('the Loki stand-in: recording', () => {
  it('records what pino-loki pushes, labels and lines intact', async () => {
    const transport = pino.transport({
      target: 'pino-loki',
      options: { host: recorder.url, labels: { service: 'recorder-test', env: 'test' }, batching: false },
    });
    const logger = pino({ base: {} }, transport);
    logger.error({ orderId: 'o-42' }, 'payment failed');
    logger.info('all good');
    // Unbatched pushes go out one by one, asynchronously.
    await expect.poll(() => recorder.entries('recorder-test').length, { timeout: 5_000 }).toBe(2);
    transport.end();
    await once(transport, 'close');

    const [failed, good] = recorder.entries('recorder-test');
    expect(failed?.labels).toMatchObject({ service: 'recorder-test', env: 'test', level: 'error' });
    expect(JSON.parse(failed!.line)).toMatchObject({ msg: 'payment failed', orderId: 'o-42' });
    expect(failed?.timeNs).toMatch(/^\d{19}$/);
    expect(good?.labels.level).toBe('info');
  });

  it('answers /ready and serves, filters and clears recordings over HTTP', async () => {
    expect(await (await fetch(`${recorder.url}/ready`)).text()).toBe('ready');
    expect((await push(JSON.stringify(validPush))).status).toBe(204);

    const payment = await recordedLogs(recorder.url, 'payment');
    expect(payment).toEqual([
      {
        labels: { service: 'payment', level: 'error' },
        line: '{"msg":"payment failed"}',
        timeNs: '1700000000000000001',
        metadata: { orderId: 'o-1' },
        fields: { msg: 'payment failed' },
      },
    ]);
    expect(await recordedLogs(recorder.url)).toHaveLength(2);
    await clearRecordedLogs(recorder.url);
    expect(recorder.entries()).toEqual([]);
  });

  it('accepts gzip-compressed pushes', async () => {
    const response = await push(gzipSync(JSON.stringify(validPush)), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(response.status).toBe(204);
    expect(recorder.entries()).toHaveLength(2);
  });

  it.each([
    ['not JSON', '{"streams": [', 400, /not JSON/],
    ['no streams', '{}', 400, /"streams" array/],
    ['labels that are not strings', '{"streams":[{"stream":{"n":1},"values":[]}]}', 400, /string labels/],
    ['a numeric timestamp', '{"streams":[{"stream":{},"values":[[1,"x"]]}]}', 400, /nanoseconds/],
    ['a value without a line', '{"streams":[{"stream":{},"values":[["1"]]}]}', 400, /\[timestamp, line\]/],
  ])('rejects a push with %s', async (_, body, status, message) => {
    const response = await push(body);
    expect(response.status).toBe(status);
    expect(await response.text()).toMatch(message);
    expect(recorder.entries()).toEqual([]);
  });

  it('rejects protobuf pushes with 415 rather than recording garbage', async () => {
    const response = await push(Buffer.from([1, 2, 3]), { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(415);
  });
});

// Answers of a real Loki 3.4.6 to the payment-failures query, recorded after seven pushed lines.
const fixtureDir = '/work/shared/fixtures/loki';
const readFixture = (name: string) =>
  JSON.parse(readFileSync(join(fixtureDir, name), 'utf8')) as {
    status: string;
    data: { resultType: string; result: { metric: object; value: [number, string] }[] };
  };
const paymentFailures = 'sum(count_over_time({service="payment", level="error"} |= "payment failed" [5m]))';

function pushSevenFailures() {
  const line = (ms: number) =>
    JSON.stringify({
      level: 50,
      time: ms,
      service: 'payment',
      msg: 'payment failed',
      reason: 'gateway_timeout',
    });
  const values = Array.from({ length: 7 }, (_, i) => [
    `${1796114630217733194n + BigInt(i) * 1_000_000n}`,
    line(1796114630217 + i),
  ]);
  return push(
    JSON.stringify({ streams: [{ stream: { service: 'payment', level: 'error', env: 'demo' }, values }] }),
  );
}

function instantQuery(query: string, time: string) {
  return fetch(`${recorder.url}/loki/api/v1/query?${new URLSearchParams({ query, time })}`);
}

describe('the Loki stand-in: instant queries, shaped as a real Loki answers', () => {
  it.each([
    ['instant-empty.json', paymentFailures, false],
    ['instant-or-vector-empty.json', `${paymentFailures} or vector(0)`, false],
    ['instant-7.json', paymentFailures, true],
    ['instant-or-vector-7.json', `${paymentFailures} or vector(0)`, true],
  ])('%s', async (fixtureName, query, withLines) => {
    const fixture = readFixture(fixtureName);
    if (withLines) expect((await pushSevenFailures()).status).toBe(204);
    // The fixture's own evaluation time, in nanoseconds as Grafana sends it.
    const atMs = Math.round((fixture.data.result[0]?.value[0] ?? 1796114630.054) * 1000);
    const response = await instantQuery(query, `${atMs}000000`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const answer = (await response.json()) as typeof fixture & { data: { stats: unknown } };
    expect(Object.keys(answer.data).sort()).toEqual(Object.keys(fixture.data).sort());
    expect({ ...answer, data: { ...answer.data, stats: undefined } }).toEqual({
      ...fixture,
      data: { ...fixture.data, stats: undefined },
    });
  });

  it('counts only the window (t - range, t] before the query time', async () => {
    await pushSevenFailures(); // at 1796114630.217 … .223 s
    const countAt = async (time: string, range = '5m') => {
      const response = await instantQuery(paymentFailures.replace('[5m]', `[${range}]`), time);
      const answer = (await response.json()) as { data: { result: { value: [number, string] }[] } };
      return answer.data.result[0]?.value[1] ?? 'none';
    };
    expect(await countAt('1796114630217733193')).toBe('none'); // before the first line
    expect(await countAt('1796114630217733194')).toBe('1'); // the end of the window is included
    expect(await countAt('1796114630.3')).toBe('7'); // seconds with a fraction
    expect(await countAt('1796114631223733194', '1s')).toBe('none'); // the start is not
    expect(await countAt('1796114931')).toBe('none'); // 10 digits: seconds, 5 minutes on
  });

  it.each([
    ['a log query', '{service="payment"}', /a log query/],
    ['a regex matcher', 'sum(count_over_time({service=~"pay.*"}[5m]))', /matcher operator =~/],
    ['rate', 'rate({service="payment"}[1m])', /range function rate/],
    ['a parser other than json', 'count_over_time({service="payment"} | logfmt [1m])', /pipeline stage/],
    ['broken LogQL', 'sum(count_over_time({service="payment"}[5m]', /parse error/],
  ])('refuses %s with a 400 that names it', async (_, query, message) => {
    const response = await instantQuery(query, '1796114630000000000');
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(message);
  });

  it('answers a log query over a range as Loki does: newest lines first, its ingest labels added', async () => {
    const fixture = readFixture('range-streams.json') as unknown as {
      data: { result: { stream: object; values: [string, string][] }[] };
    };
    await pushSevenFailures();
    const params = new URLSearchParams({
      query: '{service="payment"} |= "payment failed"',
      limit: '2',
      start: '1796114600',
      end: '1796114640',
    });
    const response = await fetch(`${recorder.url}/loki/api/v1/query_range?${params}`);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as typeof fixture & {
      status: string;
      data: { resultType: string };
    };
    expect(answer.status).toBe('success');
    expect(answer.data.resultType).toBe('streams');
    const [stream] = answer.data.result;
    expect(answer.data.result).toHaveLength(1);
    expect(stream!.stream).toEqual(fixture.data.result[0]!.stream);
    expect(stream!.values.map(([time]) => time)).toEqual(
      fixture.data.result[0]!.values.map(([time]) => time),
    );
    expect(JSON.parse(stream!.values[0]![1])).toMatchObject({
      msg: 'payment failed',
      reason: 'gateway_timeout',
    });
  });

  it('parses each line with | json: its fields as labels, a stream label clash as _extracted', async () => {
    await pushSevenFailures();
    const params = new URLSearchParams({
      query: '{service="payment", level="error"} |= "payment failed" | json',
      limit: '1',
      end: '1796114640',
    });
    const answer = (await (await fetch(`${recorder.url}/loki/api/v1/query_range?${params}`)).json()) as {
      data: { result: { stream: Record<string, string> }[] };
    };
    expect(answer.data.result.map((r) => r.stream)).toEqual([
      {
        service: 'payment',
        service_name: 'payment',
        level: 'error',
        detected_level: 'error',
        env: 'demo',
        level_extracted: '50',
        time: '1796114630223',
        service_extracted: 'payment',
        msg: 'payment failed',
        reason: 'gateway_timeout',
      },
    ]);
  });

  it.each([
    ['a metric query', 'count_over_time({service="payment"}[1m])', /metric query over a range/],
    ['no query', '', /"query" is required/],
  ])('refuses %s over a range with a 400', async (_, query, message) => {
    const response = await fetch(`${recorder.url}/loki/api/v1/query_range?${new URLSearchParams({ query })}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(message);
  });

  it('answers 400 without a query or with a time it cannot read', async () => {
    expect((await fetch(`${recorder.url}/loki/api/v1/query`)).status).toBe(400);
    const response = await instantQuery('vector(1)', 'yesterday');
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/invalid time/);
  });

  it('keeps at most ten minutes before the newest entry', async () => {
    const at = (seconds: number) => `${BigInt(seconds) * 1_000_000_000n}`;
    const stream = (seconds: number) => ({ stream: { service: 'api' }, values: [[at(seconds), 'x']] });
    await push(JSON.stringify({ streams: [stream(1_000), stream(1_500)] }));
    expect(recorder.entries()).toHaveLength(2);
    await push(JSON.stringify({ streams: [stream(1_601)] }));
    expect(recorder.entries().map((e) => e.timeNs)).toEqual([at(1_500), at(1_601)]);
  });
});
