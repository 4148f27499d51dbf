import { Hono } from 'hono';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { KitEnv } from './context.ts';
import { budgetFrom, Deadline, deadlineHeader, deadlineHeaders, requestDeadline } from './deadline.ts';
import { handleError } from './errors.ts';

describe('budgetFrom', () => {
  it('takes the caller budget, capped at the service maximum', () => {
    expect(budgetFrom('2500', 10_000)).toBe(2_500);
    expect(budgetFrom('60000', 10_000)).toBe(10_000);
  });

  it.each([undefined, '', 'soon', '-5', '0', '1.5'])('gives the maximum for %s', (header) => {
    expect(budgetFrom(header, 10_000)).toBe(10_000);
  });
});

describe('deadlineHeaders', () => {
  it('tells the callee a little less than the caller waits', () => {
    expect(deadlineHeaders(2_500)).toEqual({ [deadlineHeader]: '2400' });
    expect(deadlineHeaders(50)).toEqual({ [deadlineHeader]: '1' });
  });
});

describe('Deadline', () => {
  it('counts down, takes the earlier of two limits and moves earlier by a margin', async () => {
    const deadline = Deadline.in(1_000);
    expect(deadline.within(200).remainingMs()).toBeLessThanOrEqual(200);
    expect(deadline.within(5_000).remainingMs()).toBeLessThanOrEqual(1_000);
    expect(deadline.minus(900).remainingMs()).toBeLessThanOrEqual(100);
    expect(deadline.minus(2_000).expired()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(deadline.remainingMs()).toBeLessThan(980);
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
  app.use(requestDeadline(1_000));
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
