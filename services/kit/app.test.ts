import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp } from './app.ts';
import { loadConfig } from './config.ts';
import { HttpError } from './errors.ts';
import { createKit, type ServiceKit } from './kit.ts';
import { jsonBody } from './validation.ts';

const adminToken = 'test-admin-token';
const kits: ServiceKit[] = [];

function testApp(readiness = {}, options = {}) {
  const kit = createKit(loadConfig('api', { ADMIN_TOKEN: adminToken, LOG_LEVEL: 'silent' }));
  kits.push(kit);
  const app = createServiceApp(kit, readiness, options);
  app.get('/items/:id', (c) => c.json({ id: c.req.param('id') }));
  app.get('/boom', () => {
    throw new Error('kaboom');
  });
  app.get('/teapot', () => {
    throw new HttpError(409, 'conflict_here', 'Already taken');
  });
  app.post('/bulk', jsonBody(z.object({ name: z.string() })), (c) =>
    c.json({ size: c.req.valid('json').name.length }),
  );
  app.post('/echo', jsonBody(z.object({ name: z.string().min(1) })), (c) => c.json(c.req.valid('json')));
  return { kit, app };
}

afterEach(async () => {
  await Promise.all(kits.splice(0).map((kit) => kit.close()));
});

describe('error envelope', () => {
  it('answers unknown routes with a 404 envelope and echoes the request id', async () => {
    const { app } = testApp();
    const res = await app.request('/nowhere', { headers: { 'X-Request-Id': 'req-123' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'No route for GET /nowhere' },
      requestId: 'req-123',
    });
  });

  it('makes a request id when none is sent', async () => {
    const { app } = testApp();
    const res = await app.request('/items/1');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('turns an uncaught error into a 500 envelope without leaking the message', async () => {
    const { app } = testApp();
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('internal_error');
    expect(body.error.message).not.toContain('kaboom');
  });

  it('keeps the status and code of errors thrown on purpose', async () => {
    const { app } = testApp();
    const res = await app.request('/teapot');
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: unknown }).error).toEqual({
      code: 'conflict_here',
      message: 'Already taken',
    });
  });
});

describe('JSON body validation', () => {
  const post = (app: ReturnType<typeof testApp>['app'], body: string, type = 'application/json') =>
    app.request('/echo', { method: 'POST', body, headers: { 'content-type': type } });

  it('accepts a valid body', async () => {
    const res = await post(testApp().app, '{"name":"ada"}');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'ada' });
  });

  it.each([
    ['malformed JSON', '{"name":', 'application/json', 400, 'bad_request'],
    ['a missing field', '{}', 'application/json', 400, 'invalid_body'],
    ['a wrong type', '{"name":42}', 'application/json', 400, 'invalid_body'],
    ['a form body', 'name=ada', 'application/x-www-form-urlencoded', 415, 'unsupported_media_type'],
    [
      'a body over 64 KB',
      JSON.stringify({ name: 'x'.repeat(70_000) }),
      'application/json',
      413,
      'payload_too_large',
    ],
  ])('rejects %s', async (_, body, type, status, code) => {
    const res = await post(testApp().app, body, type);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('lets the paths named as large take bodies up to their own limit, and only those', async () => {
    const { app } = testApp({}, { largeBodies: { paths: /^\/bulk$/, maxBytes: 256 * 1024 } });
    const body = JSON.stringify({ name: 'x'.repeat(100_000) });
    const headers = { 'content-type': 'application/json' };
    expect((await app.request('/bulk', { method: 'POST', body, headers })).status).toBe(200);
    expect((await app.request('/echo', { method: 'POST', body, headers })).status).toBe(413);
    const huge = JSON.stringify({ name: 'x'.repeat(300_000) });
    expect((await app.request('/bulk', { method: 'POST', body: huge, headers })).status).toBe(413);
  });

  it('names the field that failed', async () => {
    const res = await post(testApp().app, '{"name":""}');
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^name: /);
  });
});

describe('health and readiness', () => {
  it('answers /health while alive', async () => {
    const res = await testApp().app.request('/health');
    expect(await res.json()).toEqual({ status: 'ok', service: 'api' });
  });

  it('reports each dependency and answers 503 when one is down', async () => {
    const { app } = testApp({
      postgres: async () => {},
      inventory: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    });
    const res = await app.request('/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'not_ready',
      checks: { postgres: 'ok', inventory: 'connect ECONNREFUSED' },
    });
  });

  it('counts a dependency that hangs as down', async () => {
    const { app } = testApp({ postgres: () => new Promise(() => {}) });
    const res = await app.request('/ready');
    expect(res.status).toBe(503);
  });
});

describe('metrics', () => {
  it('labels requests with the route pattern, never the raw path', async () => {
    const { app } = testApp();
    await app.request('/items/42');
    await app.request('/items/43');
    await app.request('/nowhere/at/all');
    const text = await (await app.request('/metrics')).text();
    expect(text).toContain(
      'http_requests_total{method="GET",route="/items/:id",status="200",service="api"} 2',
    );
    expect(text).toContain('http_requests_total{method="GET",route="/*",status="404",service="api"} 1');
    expect(text).not.toContain('/items/42');
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="0.005",service="api",method="GET",route="\/items\/:id"\}/,
    );
    expect(text).toMatch(/^process_cpu_seconds_total\{service="api"\} /m);
    expect(text).toMatch(/^fault_active\{kind="errorRate",service="api"\} 0$/m);
  });

  it('passes promtool check metrics, apart from three gauges prom-client itself names *_total', async () => {
    const { app } = testApp();
    await app.request('/items/1');
    const result = spawnSync('promtool', ['check', 'metrics'], {
      input: await (await app.request('/metrics')).text(),
      encoding: 'utf8',
    });
    expect(result.error).toBeUndefined();
    const problems = `${result.stdout}${result.stderr}`.split('\n').filter(Boolean);
    const upstreamNames =
      /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/;
    expect(problems.filter((line) => !upstreamNames.test(line))).toEqual([]);
  });
});
