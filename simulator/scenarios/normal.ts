import { everydayMix } from './everyday-mix.ts';
import type { PhasedScenario } from './scenario.ts';

export const normal: PhasedScenario = {
  name: 'normal',
  story: 'An ordinary hour: people browse, open products, buy a few things and log in. Nothing should alert.',
  phases: [{ name: 'steady traffic', durationSeconds: 60, rate: 8, mix: everydayMix }],
};
