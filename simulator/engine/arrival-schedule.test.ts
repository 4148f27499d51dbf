import { describe, expect, it } from 'vitest';
import { ArrivalSchedule, expectedArrivals } from './arrival-schedule.ts';
import { seededRandom } from './random.ts';

function allArrivals(schedule: ArrivalSchedule): number[] {
  const times: number[] = [];
  for (let t = schedule.next(); t !== undefined; t = schedule.next()) times.push(t);
  return times;
}

describe('ArrivalSchedule', () => {
  it('spaces a constant rate evenly at absolute deadlines', () => {
    const times = allArrivals(new ArrivalSchedule([{ durationSeconds: 2, fromRate: 100, toRate: 100 }]));
    expect(times).toHaveLength(200);
    expect(times[0]).toBe(0);
    expect(times[1]).toBeCloseTo(10, 9);
    expect(times[199]).toBeCloseTo(1990, 6);
  });

  it('follows a ramp: arrivals match the integral of the rate', () => {
    const stages = [{ durationSeconds: 10, fromRate: 0, toRate: 100 }];
    const times = allArrivals(new ArrivalSchedule(stages));
    expect(times.length).toBe(Math.ceil(expectedArrivals(stages, 10)));
    // Half the arrivals of a 0→100 ramp happen in its last 30 % (the rate is higher there).
    const firstHalf = times.filter((t) => t < 7071).length;
    expect(firstHalf / times.length).toBeCloseTo(0.5, 1);
  });

  it('chains stages, including a pause', () => {
    const stages = [
      { durationSeconds: 1, fromRate: 10, toRate: 10 },
      { durationSeconds: 1, fromRate: 0, toRate: 0 },
      { durationSeconds: 1, fromRate: 10, toRate: 10 },
    ];
    const times = allArrivals(new ArrivalSchedule(stages));
    expect(times).toHaveLength(20);
    expect(times.filter((t) => t >= 1000 && t < 2000)).toHaveLength(0);
  });

  it('draws Poisson gaps reproducibly from the seed, with the right mean rate', () => {
    const stages = [{ durationSeconds: 100, fromRate: 50, toRate: 50 }];
    const first = allArrivals(new ArrivalSchedule(stages, { poisson: true, random: seededRandom(7) }));
    const again = allArrivals(new ArrivalSchedule(stages, { poisson: true, random: seededRandom(7) }));
    const other = allArrivals(new ArrivalSchedule(stages, { poisson: true, random: seededRandom(8) }));
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first.length).toBeGreaterThan(4800);
    expect(first.length).toBeLessThan(5200);
    const gaps = first.slice(1).map((t, i) => t - (first[i] as number));
    // Exponential gaps: the standard deviation is close to the mean (evenly spaced would be 0).
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, b) => a + (b - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeGreaterThan(0.9);
    expect(sd / mean).toBeLessThan(1.1);
  });

  it('rejects stages without a positive duration', () => {
    expect(() => new ArrivalSchedule([{ durationSeconds: 0, fromRate: 1, toRate: 1 }])).toThrow(RangeError);
  });
});
