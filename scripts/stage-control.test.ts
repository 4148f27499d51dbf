import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pressStageControl } from './stage-control.ts';

interface Received {
  method: string | undefined;
  url: string | undefined;
  authorization: string | undefined;
  body: unknown;
}

const received: Received[] = [];
const readBody = async (request: IncomingMessage) => {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return JSON.parse(text) as unknown;
};
// A stage stand-in: refuses `run`, takes every other control.
const server = createServer((request, response) => {
  void readBody(request).then((body) => {
    received.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.authorization,
      body,
    });
    response.statusCode = request.url === '/api/run' ? 409 : 200;
    response.end(request.url === '/api/run' ? 'busy' : '{}');
  });
});
let stageUrl = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('pressStageControl', () => {
  it('posts the control with the admin token, an empty object when it takes no body', async () => {
    await pressStageControl(stageUrl, 'token-123', 'trigger', { alert: 'critical-inventory' });
    await pressStageControl(stageUrl, 'token-123', 'reset');
    expect(received.splice(0)).toEqual([
      {
        method: 'POST',
        url: '/api/trigger',
        authorization: 'Bearer token-123',
        body: { alert: 'critical-inventory' },
      },
      { method: 'POST', url: '/api/reset', authorization: 'Bearer token-123', body: {} },
    ]);
  });

  it('throws with the status and what the stage said when it refuses', async () => {
    await expect(pressStageControl(stageUrl, 'token-123', 'run', { scenario: 'normal' })).rejects.toThrow(
      'run: 409 busy',
    );
  });
});
