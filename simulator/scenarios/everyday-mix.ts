import type { MixEntry } from './scenario.ts';

/** Everyday traffic: what every scenario runs, and what the incidents are added to. */
export const everydayMix: MixEntry[] = [
  { weight: 45, journey: { kind: 'browse' } },
  { weight: 25, journey: { kind: 'view-product' } },
  // Shoppers stop buying a product 10 items above its low-stock threshold: normal days stay quiet.
  { weight: 20, journey: { kind: 'checkout', keepHeadroom: 10 } },
  { weight: 10, journey: { kind: 'login' } },
];
