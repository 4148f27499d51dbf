import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { KitEnv } from '../context.ts';
import { accessLog } from './access-log.ts';
import { captureLogger } from '../testing/capture-logger.ts';

describe('accessLog', () => {
  it('logs one line per request with its route pattern, status and duration; quiet paths at debug', async () => {
    const { logger, lines } = captureLogger();
    const app = new Hono<KitEnv>();
    app.use((c, next) => {
      c.set('requestId', 'req-9');
      return next();
    });
    app.use(accessLog({ logger, quietPaths: /^\/health$/ }));
    app.get('/items/:id', (c) => c.text('item', 201));
    app.get('/health', (c) => c.text('ok'));
    await app.request('/items/7');
    await app.request('/health');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        requestId: 'req-9',
        method: 'GET',
        route: '/items/:id',
        status: 201,
        durationMs: expect.any(Number),
      }),
      expect.objectContaining({ level: 20, route: '/health', status: 200 }),
    ]);
  });
});
