import { Hono } from 'hono';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { KitEnv } from '../context.ts';
import { deadlineHeader } from '../deadline.ts';
import { handleError } from '../error-envelope.ts';
import { budgetFrom, requestDeadline } from './deadline.ts';

describe('budgetFrom', () => {
  it('takes the caller budget, capped at the service maximum', () => {
    expect(budgetFrom('2500', 10_000)).toBe(2_500);
    expect(budgetFrom('60000', 10_000)).toBe(10_000);
  });

  it.each([undefined, '', 'soon', '-5', '0', '1.5'])('gives the maximum for %s', (header) => {
    expect(budgetFrom(header, 10_000)).toBe(10_000);
  });
});

describe('requestDeadline', () => {
  const app = new Hono<KitEnv>();
  app.onError(handleError);
  app.use(async (c, next) => {
    c.set('requestId', 'test');
    c.set('logger', pino({ level: 'silent' }));
    await next();
  });
  app.use(requestDeadline({ maxMs: 1_000 }));
  app.get('/left', (c) => c.json({ left: c.get('deadline').remainingMs() }));
  app.get('/late', async (c) => {
    await new Promise((resolve) => setTimeout(resolve, 80));
    c.get('deadline').throwIfExpired();
    return c.json({ done: true });
  });

  it('starts the budget from the header, or the maximum', async () => {
    const left = async (headers: Record<string, string>) =>
      ((await (await app.request('/left', { headers })).json()) as { left: number }).left;
    expect(await left({ [deadlineHeader]: '300' })).toBeLessThanOrEqual(300);
    expect(await left({ [deadlineHeader]: '300' })).toBeGreaterThan(200);
    expect(await left({})).toBeGreaterThan(900);
  });

  it('answers 504 deadline_exceeded for work the caller stopped waiting for', async () => {
    const response = await app.request('/late', { headers: { [deadlineHeader]: '50' } });
    expect(response.status).toBe(504);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('deadline_exceeded');
  });
});
