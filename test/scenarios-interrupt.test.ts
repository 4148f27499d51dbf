import { afterAll, describe, expect, inject, it } from 'vitest';
import { phasedScenario } from '../simulator/scenarios/registry.ts';
import { scenarioNames } from '../domain/scenarios.ts';
import { faultedServices } from '../simulator/scenarios/scenario.ts';
import { serviceNames } from '../domain/services.ts';
import { cliEnv } from '../harness/cli-env.ts';
import { runCliInProcess } from '../harness/cli-in-process.ts';
import { spawnCli } from '../harness/cli-process.ts';
import { adminHeaders } from './support/stack.ts';

// Ctrl-C (or SIGTERM) in the middle of a scenario that sets faults must leave no fault behind.

const stack = inject('stack');
const env = cliEnv(stack);

const faultSetting = scenarioNames.filter(
  (name) => name !== 'all' && faultedServices(phasedScenario(name)).length > 0,
);

async function faultsOf(service: string): Promise<Record<string, number>> {
  const response = await fetch(`${stack.urls[service as keyof typeof stack.urls]}/admin/faults`, {
    headers: adminHeaders(stack),
  });
  return ((await response.json()) as { faults: Record<string, number> }).faults;
}

const active = (faults: Record<string, number>) => Object.values(faults).some((value) => value !== 0);

afterAll(async () => {
  await runCliInProcess(['reset'], env);
});

describe('interrupting a fault-setting scenario undoes its faults', () => {
  it('covers the scenarios that set faults', () => {
    expect(faultSetting.sort()).toEqual(['flapping', 'high-cpu', 'payment-failures']);
  });

  const cases = [
    ...faultSetting.map((scenario) => ({ scenario, signal: 'SIGINT' as const })),
    { scenario: 'payment-failures', signal: 'SIGTERM' as const },
  ];

  it.each(cases)(
    '$scenario, $signal during the incident',
    { timeout: 45_000 },
    async ({ scenario, signal }) => {
      const cli = spawnCli(['run', scenario, '--duration', '30', '--json'], env);
      const phase = await cli.waitForEvent(
        (event) => event.type === 'phase' && Object.keys(event.faults as object).length > 0,
        30_000,
      );
      const faulted = Object.keys(phase.faults as object);
      for (const service of faulted) expect(active(await faultsOf(service)), service).toBe(true);

      const sentAt = Date.now();
      cli.child.kill(signal);
      const outcome = await cli.exited;
      expect(outcome.code).toBe(130);
      expect(Date.now() - sentAt).toBeLessThan(10_000);
      const summary = outcome.events.find((event) => event.type === 'part-summary');
      expect(summary).toMatchObject({ stopReason: 'aborted', faultsUndone: faulted, faultsLeft: [] });
      for (const service of serviceNames) expect(active(await faultsOf(service)), service).toBe(false);
    },
  );
});
