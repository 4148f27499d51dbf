import { describe, expect, it } from 'vitest';
import { Deadline, deadlineHeader, deadlineHeaders } from './deadline.ts';

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
