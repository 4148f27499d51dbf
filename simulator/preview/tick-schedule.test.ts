import { describe, expect, it } from 'vitest';
import { nextTickMs } from './tick-schedule.ts';

describe('aligned ticks (disable_jitter)', () => {
  it.each([
    [1_000, 10_000, 10_000],
    [9_999, 10_000, 10_000],
    [10_000, 10_000, 20_000], // a tick is never "now": the ticker's first tick follows its start
    [10_001, 10_000, 20_000],
    [1_796_114_632_614, 10_000, 1_796_114_640_000],
    [1_796_114_632_614, 60_000, 1_796_114_640_000],
    [1_796_114_640_000, 60_000, 1_796_114_700_000],
  ])('after %i ms with a %i ms interval: %i', (now, interval, expected) => {
    expect(nextTickMs(now, interval)).toBe(expected);
  });
});
