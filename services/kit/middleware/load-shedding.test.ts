import { Hono } from 'hono';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { KitEnv } from '../context.ts';
import { handleError } from '../error-envelope.ts';
import { shedLoad } from './load-shedding.ts';

describe('shedLoad', () => {
  it('answers 503 with Retry-After past the cap, spares the named paths, and takes work again once some ends', async () => {
    const app = new Hono<KitEnv>();
    app.onError(handleError);
    app.use((c, next) => {
      c.set('requestId', 'req-1');
      c.set('logger', pino({ level: 'silent' }));
      return next();
    });
    app.use(shedLoad({ maxInFlight: 2, spared: (path) => path === '/health' }));
    const releases: Array<() => void> = [];
    app.get(
      '/slow',
      () => new Promise<Response>((resolve) => releases.push(() => resolve(new Response('done')))),
    );
    app.get('/health', (c) => c.text('ok'));

    const first = app.request('/slow');
    const second = app.request('/slow');
    await new Promise((resolve) => setTimeout(resolve, 10));
    const shed = await app.request('/slow');
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(((await shed.json()) as { error: { code: string } }).error.code).toBe('overloaded');
    expect((await app.request('/health')).status).toBe(200);

    releases.shift()!();
    expect((await first).status).toBe(200);
    const third = app.request('/slow');
    await new Promise((resolve) => setTimeout(resolve, 10));
    releases.splice(0).forEach((release) => release());
    expect((await second).status).toBe(200);
    expect((await third).status).toBe(200);
  });
});
