import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { prometheusSource } from './prometheus-source.ts';

// A stand-in Prometheus that answers each request with the next canned body and records the URL.
const answers: [number, unknown][] = [];
const requests: URL[] = [];
const server = createServer((req, res) => {
  requests.push(new URL(req.url ?? '/', 'http://prometheus'));
  const [status, body] = answers.shift() ?? [500, {}];
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise((resolve) => server.close(resolve)));
const source = prometheusSource(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
const vector = (result: unknown[]) => ({ status: 'success', data: { resultType: 'vector', result } });

describe('the Prometheus data source', () => {
  it('runs an instant query at the tick and reads the vector as numbers (NaN included)', async () => {
    answers.push([
      200,
      vector([
        { metric: { service: 'api' }, value: [1700000010, '0.25'] },
        { metric: { service: 'web' }, value: [1700000010, 'NaN'] },
      ]),
    ]);
    expect(await source.query({ expr: 'up' }, 1_700_000_010_000)).toEqual({
      kind: 'numbers',
      numbers: [
        { labels: { service: 'api' }, value: 0.25 },
        { labels: { service: 'web' }, value: NaN },
      ],
    });
    expect(requests.at(-1)?.pathname).toBe('/api/v1/query');
    expect(Object.fromEntries(requests.at(-1)!.searchParams)).toEqual({
      query: 'up',
      time: '1700000010.000',
    });
  });

  it('an empty vector is NoData', async () => {
    answers.push([200, vector([])]);
    expect(await source.query({ expr: 'up' }, 0)).toEqual({ kind: 'noData' });
  });

  it.each([
    [
      [400, { status: 'error', errorType: 'bad_data', error: 'parse error' }],
      /Prometheus answered 400: .*parse error/,
    ],
    [[200, { status: 'success', data: { resultType: 'matrix', result: [] } }], /matrix, not a vector/],
  ])('a failing query is an error that says why (%#)', async (answer, message) => {
    answers.push(answer as [number, unknown]);
    await expect(source.query({ expr: 'up' }, 0)).rejects.toThrow(message);
  });

  it('a query without expr is an error', async () => {
    await expect(source.query({}, 0)).rejects.toThrow(/no expr/);
  });
});
