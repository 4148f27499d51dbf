import { everydayMix } from './everyday-mix.ts';
import type { PhasedScenario } from './scenario.ts';

export const highCpu: PhasedScenario = {
  name: 'high-cpu',
  story:
    'A runaway job burns a full core in the api, and a slow dependency makes it answer in 1.1-1.6 s under steady traffic.',
  phases: [
    { name: 'warm-up', durationSeconds: 5, rate: 5, mix: everydayMix },
    {
      name: 'cpu burning',
      durationSeconds: 55,
      rate: 5,
      incident: true,
      mix: everydayMix,
      // The burn runs in a worker thread, so /metrics keeps answering while the process uses a core;
      // for the same reason it does not slow requests: the latency is a fault of its own.
      faults: { api: { cpuBurn: 1, latencyMs: 1100, latencyJitterMs: 500 } },
    },
  ],
};
