import { everydayMix } from './everyday-mix.ts';
import type { PhasedScenario } from './scenario.ts';

/** The flash-sale item of the seed catalog: 40 in stock, low-stock threshold 10. */
const featuredSku = 'SF-1001';

export const flashSale: PhasedScenario = {
  name: 'flash-sale',
  story: `A flash sale on ${featuredSku}: traffic surges on that one product until it sells out (never oversold).`,
  phases: [
    { name: 'before the sale', durationSeconds: 5, rate: 4, mix: everydayMix },
    {
      // Checkouts ramp from ~1.2/s to ~6/s: 30 items are sold after ~15 s, 35 after ~17 s.
      name: 'flash sale',
      durationSeconds: 45,
      rate: { from: 4, to: 20 },
      incident: true,
      mix: [
        { weight: 30, journey: { kind: 'checkout', skus: [featuredSku], maxQuantity: 1 } },
        { weight: 40, journey: { kind: 'view-product', skus: [featuredSku] } },
        { weight: 30, journey: { kind: 'browse' } },
      ],
    },
    { name: 'sold out', durationSeconds: 5, rate: 4, mix: everydayMix },
  ],
};
