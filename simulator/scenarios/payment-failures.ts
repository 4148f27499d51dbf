import { everydayMix } from './everyday-mix.ts';
import type { MixEntry, PhasedScenario } from './scenario.ts';

const checkoutHeavyMix: MixEntry[] = [
  { weight: 50, journey: { kind: 'checkout', keepHeadroom: 10 } },
  { weight: 30, journey: { kind: 'browse' } },
  { weight: 20, journey: { kind: 'view-product' } },
];

export const paymentFailures: PhasedScenario = {
  name: 'payment-failures',
  story: 'The payment gateway starts failing 80 % of charges during steady checkouts.',
  phases: [
    { name: 'checkouts succeed', durationSeconds: 5, rate: 6, mix: everydayMix },
    {
      // ~3 checkouts/s, 80 % failing: the sixth "payment failed" is logged within ~3 s.
      name: 'gateway failing',
      durationSeconds: 55,
      rate: 6,
      incident: true,
      mix: checkoutHeavyMix,
      faults: { payment: { gatewayFailureRate: 0.8 } },
    },
  ],
};
