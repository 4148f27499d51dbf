import { describe, expect, it } from 'vitest';
import { ValueHistory } from './value-history.ts';

describe('ValueHistory', () => {
  it('keeps one point per evaluation within its window, oldest first', () => {
    const history = new ValueHistory(30_000);
    for (const seconds of [0, 10, 20, 30, 40]) history.add('a', { atMs: seconds * 1000, value: seconds });
    expect(history.points('a').map((p) => p.atMs)).toEqual([10_000, 20_000, 30_000, 40_000]);
    expect(history.latest('a')).toEqual({ atMs: 40_000, value: 40 });
    expect(history.points('b')).toEqual([]);
  });

  it('replaces a point of the same tick and ignores one older than the newest', () => {
    const history = new ValueHistory();
    history.add('a', { atMs: 10_000, value: 1 });
    history.add('a', { atMs: 10_000, value: 2 });
    history.add('a', { atMs: 5_000, value: 3 });
    expect(history.points('a')).toEqual([{ atMs: 10_000, value: 2 }]);
  });

  it('keeps no value (and NaN) as null, so the sparkline shows a gap', () => {
    const history = new ValueHistory();
    history.add('a', { atMs: 1, value: Number.NaN });
    history.add('a', { atMs: 2, value: null });
    expect(history.points('a').map((p) => p.value)).toEqual([null, null]);
  });
});
