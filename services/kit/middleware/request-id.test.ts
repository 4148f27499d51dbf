import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { KitEnv } from '../context.ts';
import { captureLogger } from '../testing/capture-logger.ts';
import { requestId } from './request-id.ts';

function app() {
  const { logger, lines } = captureLogger();
  const hono = new Hono<KitEnv>();
  hono.use(requestId({ logger }));
  hono.get('/', (c) => {
    c.get('logger').info('handled');
    return c.text(c.get('requestId'));
  });
  return { hono, lines };
}

describe('requestId', () => {
  it("echoes the caller's X-Request-Id and puts it on every log line of the request", async () => {
    const { hono, lines } = app();
    const res = await hono.request('/', { headers: { 'X-Request-Id': 'req-123' } });
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect(await res.text()).toBe('req-123');
    expect(lines).toEqual([expect.objectContaining({ msg: 'handled', requestId: 'req-123' })]);
  });

  it('makes a UUID when none is sent', async () => {
    const res = await app().hono.request('/');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
