import { everydayMix } from './everyday-mix.ts';
import type { PhasedScenario } from './scenario.ts';
import { bruteForceMix } from './security-breach.ts';

/**
 * A silence at work: failed-logins is silenced before the attack starts, fires and shows in Grafana,
 * yet no receiver hears of it; the silence ends with its phase and the notification arrives.
 */
export const maintenance: PhasedScenario = {
  name: 'maintenance',
  story:
    'During announced maintenance a brute-force attack fires failed-logins under a silence: Grafana shows it, nobody is told until the silence ends.',
  playsInFull: true,
  phases: [
    { name: 'quiet', durationSeconds: 5, rate: 5, mix: everydayMix },
    {
      name: 'attack under a silence',
      durationSeconds: 40,
      rate: 5,
      incident: true,
      mix: bruteForceMix,
      silence: { alert: 'failed-logins' },
    },
    { name: 'silence lifted', durationSeconds: 25, rate: 5, mix: everydayMix },
  ],
};
