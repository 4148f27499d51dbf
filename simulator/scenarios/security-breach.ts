import { everydayMix } from './everyday-mix.ts';
import type { MixEntry, PhasedScenario } from './scenario.ts';

/** Wrong passwords for two accounts from three addresses, among normal logins and browsing. */
export const bruteForceMix: MixEntry[] = [
  {
    weight: 40,
    journey: {
      kind: 'brute-force-login',
      accounts: ['alice@shopfast.local', 'bob@shopfast.local'],
      // Documentation address ranges (RFC 5737).
      fromIps: ['203.0.113.7', '203.0.113.45', '198.51.100.23'],
    },
  },
  { weight: 20, journey: { kind: 'login' } },
  { weight: 40, journey: { kind: 'browse' } },
];

export const securityBreach: PhasedScenario = {
  name: 'security-breach',
  story: 'A brute-force attack: wrong passwords for two accounts from three addresses, among normal logins.',
  phases: [
    { name: 'quiet', durationSeconds: 5, rate: 5, mix: everydayMix },
    {
      name: 'brute force',
      durationSeconds: 40,
      rate: 5,
      incident: true,
      mix: bruteForceMix,
    },
  ],
};
