import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpError } from './http-error.ts';
import { testApp } from './testing/test-kit.ts';
import { jsonBody } from './validation.ts';

function appWithRoutes() {
  const { app } = testApp();
  app.get('/boom', () => {
    throw new Error('kaboom');
  });
  app.get('/teapot', () => {
    throw new HttpError(409, 'conflict_here', 'Already taken');
  });
  app.post('/echo', jsonBody(z.object({ name: z.string().min(1) })), (c) => c.json(c.req.valid('json')));
  return app;
}

describe('error envelope', () => {
  it('answers unknown routes with a 404 envelope and echoes the request id', async () => {
    const res = await appWithRoutes().request('/nowhere', { headers: { 'X-Request-Id': 'req-123' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'No route for GET /nowhere' },
      requestId: 'req-123',
    });
  });

  it('turns an uncaught error into a 500 envelope without leaking the message', async () => {
    const res = await appWithRoutes().request('/boom');
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('internal_error');
    expect(body.error.message).not.toContain('kaboom');
  });

  it('keeps the status and code of errors thrown on purpose', async () => {
    const res = await appWithRoutes().request('/teapot');
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: unknown }).error).toEqual({
      code: 'conflict_here',
      message: 'Already taken',
    });
  });
});

describe('JSON body validation', () => {
  const post = (body: string, type = 'application/json') =>
    appWithRoutes().request('/echo', { method: 'POST', body, headers: { 'content-type': type } });

  it('accepts a valid body', async () => {
    const res = await post('{"name":"ada"}');
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
    const res = await post(body, type);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('names the field that failed', async () => {
    const res = await post('{"name":""}');
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^name: /);
  });
});
