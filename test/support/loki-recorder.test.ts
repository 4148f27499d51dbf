import { once } from 'node:events';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startLokiRecorder } from './loki-recorder.ts';
import { clearRecordedLogs, recordedLogs } from './loki.ts';

const recorder = await startLokiRecorder();
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

describe('the Loki recorder', () => {
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
