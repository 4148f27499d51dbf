import { describe, expect, it } from 'vitest';
import { fitToLength, scalePhases, trafficStages } from './phase-plan.ts';
import type { Phase } from '../scenarios/scenario.ts';

const mix: Phase['mix'] = [{ weight: 1, journey: { kind: 'browse' } }];
const phases: Phase[] = [
  { name: 'warm-up', durationSeconds: 10, rate: 4, mix },
  { name: 'incident', durationSeconds: 50, rate: { from: 2, to: 16 }, mix, incident: true },
];
const seconds = (list: Phase[]) => list.map((phase) => [phase.name, phase.durationSeconds]);

describe('phase planning', () => {
  it('scales every phase by the same factor', () => {
    expect(seconds(scalePhases(phases, 0.5))).toEqual([
      ['warm-up', 5],
      ['incident', 25],
    ]);
  });

  it('cuts the phases at a shorter timeout', () => {
    expect(seconds(fitToLength(phases, 30, 'until firing'))).toEqual([
      ['warm-up', 10],
      ['incident', 20],
    ]);
    expect(seconds(fitToLength(phases, 5, 'until firing'))).toEqual([['warm-up', 5]]);
  });

  it('lets the last phase go on until a longer timeout', () => {
    const fitted = fitToLength(phases, 100, 'until firing');
    expect(seconds(fitted)).toEqual([
      ['warm-up', 10],
      ['incident', 50],
      ['incident (until firing)', 40],
    ]);
    expect(fitted[2]!.rate).toEqual({ from: 2, to: 16 });
  });

  it('names the stretched last phase after why it goes on', () => {
    expect(seconds(fitToLength(phases, 70, 'until stopped')).at(-1)).toEqual([
      'incident (until stopped)',
      10,
    ]);
  });

  it('turns phases into engine stages with the rate multiplier applied', () => {
    const shop = { apiOrigin: 'http://a', frontendOrigin: 'http://f', skus: ['SF-1001'] };
    const stages = trafficStages(phases, 2, shop);
    expect(
      stages.map(({ durationSeconds, fromRate, toRate }) => [durationSeconds, fromRate, toRate]),
    ).toEqual([
      [10, 8, 8],
      [50, 4, 32],
    ]);
    expect(stages[0]!.pickAction(() => 0.5).name).toBe('browse');
  });
});
