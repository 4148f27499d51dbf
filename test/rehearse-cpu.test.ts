import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cpuPart,
  expectLifecycleOnTime,
  expectNoFaultLeft,
  overWindow,
  playedRun,
  rehearsePart,
  stopRehearsals,
  type Rehearsal,
} from './support/rehearsal.ts';

// The rehearsal's part that burns CPU (high-cpu, then flapping), played beside test/rehearse.test.ts
// at full priority: the rest of the suite yields the CPU to it (test/support/yield-cpu.ts), so the
// api's burn gets the core it asks for, as on a presenter's laptop.

const rehearsals: Rehearsal[] = [];

beforeAll(async () => {
  rehearsals.push(await rehearsePart(cpuPart, 'rehearsal-cpu'));
}, 600_000);

afterAll(() => stopRehearsals(rehearsals));

describe('shopfast-sim rehearse, the scenarios that burn CPU', () => {
  it('fires and resolves every expected alert on time, and nothing else', () => {
    expectLifecycleOnTime(rehearsals);
  });

  it('high-cpu: the burned api kept answering its scrapes', async () => {
    const burn = playedRun(rehearsals, 'high-cpu');
    expect(await overWindow((range) => `min_over_time(up{job="api"}[${range}])`, burn)).toBe(1);
    // What the burn got of a core (the rule fires over 0.7): a busy machine shows here first.
    const got = await overWindow(
      (range) => `max_over_time(rate(process_cpu_seconds_total{job="api"}[20s])[${range}:5s])`,
      burn,
    );
    console.log(`[rehearse high-cpu] the api's CPU, highest 20-second rate: ${got.toFixed(2)} of a core`);
  });

  it('leaves no fault switched on at any service', () => expectNoFaultLeft(rehearsals));
});
