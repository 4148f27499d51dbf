import type { SequenceScenario } from './scenario.ts';

export const all: SequenceScenario = {
  name: 'all',
  story: 'Every scenario in turn, with a reset between them: all seven alerts fire once.',
  sequence: ['normal', 'flash-sale', 'payment-failures', 'high-cpu', 'security-breach', 'low-inventory'],
};
