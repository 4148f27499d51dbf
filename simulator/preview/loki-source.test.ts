import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startLokiStandIn } from '../../scripts/native/loki-standin.ts';
import { lokiSource } from './loki-source.ts';

// Against the native runner's Loki stand-in, which answers as a real Loki does.
const standIn = await startLokiStandIn();
afterAll(() => standIn.close());
beforeEach(() => standIn.clear());
const source = lokiSource(standIn.url);
const atMs = 1_796_114_640_000;

async function pushFailures(count: number) {
  const values = Array.from({ length: count }, (_, i) => [
    `${BigInt(atMs - 5_000 + i) * 1_000_000n}`,
    'payment failed',
  ]);
  await fetch(`${standIn.url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ streams: [{ stream: { service: 'payment', level: 'error' }, values }] }),
  });
}

const query = 'sum(count_over_time({service="payment", level="error"} |= "payment failed" [1m]))';

describe('the Loki data source', () => {
  it('reads each vector element as a one-point series, at the tick', async () => {
    await pushFailures(3);
    expect(await source.query({ expr: query }, atMs)).toEqual({
      kind: 'series',
      series: [{ labels: {}, points: [3] }],
    });
    expect(await source.query({ expr: query }, atMs - 60_000)).toEqual({ kind: 'noData' });
  });

  it('an empty answer is NoData; with `or vector(0)` it is 0', async () => {
    expect(await source.query({ expr: query }, atMs)).toEqual({ kind: 'noData' });
    expect(await source.query({ expr: `${query} or vector(0)` }, atMs)).toEqual({
      kind: 'series',
      series: [{ labels: {}, points: [0] }],
    });
  });

  it('a refused query is an error with Loki’s message', async () => {
    await expect(source.query({ expr: 'rate({service="payment"}[1m])' }, atMs)).rejects.toThrow(
      /Loki answered 400: .*range function rate/,
    );
  });
});
