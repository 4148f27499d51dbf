import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { KitEnv } from '../context.ts';
import { handleError } from '../error-envelope.ts';
import { limitBodies } from './body-limit.ts';

function limited() {
  const app = new Hono<KitEnv>();
  app.onError(handleError);
  app.use((c, next) => {
    c.set('requestId', 'req-1');
    return next();
  });
  app.use(limitBodies({ maxBytes: 1024, large: { paths: /^\/bulk$/, maxBytes: 4096 } }));
  app.post('/small', async (c) => c.json({ size: (await c.req.text()).length }));
  app.post('/bulk', async (c) => c.json({ size: (await c.req.text()).length }));
  app.get('/small', (c) => c.json({ ok: true }));
  return (path: string, bytes: number) => app.request(path, { method: 'POST', body: 'x'.repeat(bytes) });
}

describe('limitBodies', () => {
  it('takes bodies up to the limit and answers 413 in the envelope above it', async () => {
    const post = limited();
    expect((await post('/small', 1024)).status).toBe(200);
    const res = await post('/small', 1025);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: { code: 'payload_too_large', message: 'Request bodies are limited to 1 KB' },
      requestId: 'req-1',
    });
  });

  it('lets the paths named as large take bodies up to their own limit, and only those', async () => {
    const post = limited();
    expect((await post('/bulk', 3000)).status).toBe(200);
    expect((await post('/small', 3000)).status).toBe(413);
    expect((await post('/bulk', 5000)).status).toBe(413);
  });
});
