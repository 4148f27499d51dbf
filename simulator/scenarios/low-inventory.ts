import { everydayMix } from './everyday-mix.ts';
import type { PhasedScenario } from './scenario.ts';

/** Seed stock 60 (threshold 9) and 70 (threshold 10): ~19 s and ~22 s of steady buying at 2.7/s each. */
const drainedSkus = ['SF-1004', 'SF-1008'];

export const lowInventory: PhasedScenario = {
  name: 'low-inventory',
  story: `Steady purchases slowly drain ${drainedSkus.join(' and ')} down to their low-stock thresholds.`,
  phases: [
    { name: 'warm-up', durationSeconds: 5, rate: 4, mix: everydayMix },
    {
      name: 'draining',
      durationSeconds: 50,
      rate: 9,
      incident: true,
      mix: [
        // Shoppers stop at the threshold, so the stock lands on it and stays above the critical level.
        { weight: 60, journey: { kind: 'checkout', skus: drainedSkus, maxQuantity: 1, keepHeadroom: 0 } },
        { weight: 25, journey: { kind: 'browse' } },
        { weight: 15, journey: { kind: 'view-product', skus: drainedSkus } },
      ],
    },
  ],
};
