import { everydayMix } from './everyday-mix.ts';
import type { PhasedScenario } from './scenario.ts';

/** The flash-sale item of the seed catalog: 40 in stock, low-stock threshold 10. */
const featuredSku = 'SF-1001';

export const flashSale: PhasedScenario = {
  name: 'flash-sale',
  story: `A flash sale on ${featuredSku}: traffic surges on that one product until it sells out (never oversold).`,
  phases: [
    { name: 'before the sale', durationSeconds: 10, rate: 4, mix: everydayMix },
    {
      // Checkouts ramp from ~0.6/s to ~4.8/s: 40 items are gone after ~27 s.
      name: 'flash sale',
      durationSeconds: 60,
      rate: { from: 2, to: 16 },
      incident: true,
      mix: [
        { weight: 30, journey: { kind: 'checkout', skus: [featuredSku], maxQuantity: 1 } },
        { weight: 40, journey: { kind: 'view-product', skus: [featuredSku] } },
        { weight: 30, journey: { kind: 'browse' } },
      ],
    },
    { name: 'sold out', durationSeconds: 10, rate: 4, mix: everydayMix },
  ],
};
