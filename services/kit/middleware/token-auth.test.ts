import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { KitEnv } from '../context.ts';
import { handleError } from '../error-envelope.ts';
import { requireToken, type TokenAuthOptions } from './token-auth.ts';

const token = 'a-shared-secret';

function guarded(options: Partial<TokenAuthOptions> = {}) {
  const app = new Hono<KitEnv>();
  app.onError(handleError);
  app.use((c, next) => {
    c.set('requestId', 'req-1');
    return next();
  });
  app.use(
    requireToken({
      token,
      closedCode: 'door_closed',
      closedMessage: 'no token set',
      hint: 'Send Authorization: Bearer <TOKEN>',
      ...options,
    }),
  );
  app.get('/', (c) => c.text('in'));
  return (headers: Record<string, string> = {}) => app.request('/', { headers });
}

const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error;

describe('requireToken', () => {
  it('lets the right bearer token through', async () => {
    const res = await guarded()({ authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
  });

  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-secret' }],
    ['a token of another length', { authorization: `Bearer ${token}x` }],
  ])('answers 401 in the envelope, with a challenge, to %s', async (_, headers) => {
    const res = await guarded()(headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await res.json()).toEqual({
      error: { code: 'unauthorized', message: 'Send Authorization: Bearer <TOKEN>' },
      requestId: 'req-1',
    });
  });

  it('answers 400 to a header that is not a bearer token', async () => {
    const res = await guarded()({ authorization: `Basic ${token}` });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('bad_request');
  });

  it('stays closed, naming why, while no token is set', async () => {
    const res = await guarded({ token: undefined })({ authorization: 'Bearer anything' });
    expect(res.status).toBe(401);
    expect(await errorOf(res)).toEqual({ code: 'door_closed', message: 'no token set' });
  });

  it('takes the bare token in its own header too, when given one', async () => {
    const check = guarded({ ownHeader: 'X-Webhook-Secret' });
    expect((await check({ 'x-webhook-secret': token })).status).toBe(200);
    expect((await check({ authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await check({ 'x-webhook-secret': 'not-the-secret' })).status).toBe(401);
    expect((await check({ 'x-webhook-secret': '' })).status).toBe(401);
  });
});
