import { everydayMix } from './everyday-mix.ts';
import type { Phase, PhasedScenario } from './scenario.ts';

/** Busy spells keep the api at a full core; the lulls between them at 0.6 of one, between 0.4 and 0.7. */
const busyBurn = 1;
const lullBurn = 0.6;

const spell = (name: string, durationSeconds: number, cpuBurn: number, incident = false): Phase => ({
  name,
  durationSeconds,
  rate: 5,
  mix: everydayMix,
  faults: { api: { cpuBurn } },
  ...(incident ? { incident } : {}),
});

/**
 * The api's CPU crosses and re-crosses 0.7: every lull takes its 20-second rate under the firing
 * threshold, never under the recovery threshold (0.4). With the recovery threshold the alert fires
 * once and resolves once; without it every lull would resolve it and the next busy spell fire it
 * again, each a notification (simulator/scenarios/flapping.test.ts counts them).
 */
export const flapping: PhasedScenario = {
  name: 'flapping',
  story:
    'The api’s CPU hovers around the alert’s threshold: busy spells and lulls, one notification pair thanks to the recovery threshold.',
  playsInFull: true,
  oneNotificationPair: true,
  phases: [
    { name: 'warm-up', durationSeconds: 5, rate: 5, mix: everydayMix },
    spell('busy', 35, busyBurn, true),
    spell('lull', 25, lullBurn),
    spell('busy again', 20, busyBurn),
    spell('lull again', 25, lullBurn),
    spell('busy once more', 15, busyBurn),
  ],
};
