import type { AlertDefinition } from '../../domain/alerts.ts';
import {
  expectedAlerts,
  expectedFiringSeconds,
  scenarioDurationSeconds,
  scenarioParts,
  scenarios,
} from '../scenarios/registry.ts';
import { scenarioNames } from '../../domain/scenarios.ts';
import { faultedServices, type Phase, type Scenario } from '../scenarios/scenario.ts';
import { clock } from '../display/format.ts';

export interface ScenarioListing {
  name: string;
  story: string;
  durationSeconds: number;
  shape: string;
  faults: string[];
  alerts: {
    uid: string;
    title: string;
    /** From the scenario's start, worst case. */
    expectedSeconds: number;
    /** From `reset`, worst case. */
    resolveSeconds: number;
    resolvedBy: AlertDefinition['resolvedBy'];
  }[];
}

function phaseShape(phase: Phase): string {
  const rate = typeof phase.rate === 'number' ? `${phase.rate}/s` : `${phase.rate.from}→${phase.rate.to}/s`;
  return `${phase.durationSeconds} s at ${rate}`;
}

export function describeScenario(scenario: Scenario): ScenarioListing {
  const parts = scenarioParts(scenario);
  return {
    name: scenario.name,
    story: scenario.story,
    durationSeconds: scenarioDurationSeconds(scenario),
    shape:
      'sequence' in scenario
        ? `${scenario.sequence.join(' → ')}, reset between`
        : scenario.phases.map((phase) => `${phase.name} ${phaseShape(phase)}`).join(', then '),
    faults: [...new Set(parts.flatMap((part) => faultedServices(part)))],
    alerts: expectedAlerts(scenario).map((alert) => ({
      uid: alert.uid,
      title: alert.title,
      expectedSeconds: expectedFiringSeconds(scenario, alert) ?? alert.expectedSecondsToFire,
      resolveSeconds: alert.expectedSecondsToResolve,
      resolvedBy: alert.resolvedBy,
    })),
  };
}

export function listCommand(options: { json?: boolean }): void {
  const listings = scenarioNames.map((name) => describeScenario(scenarios[name]));
  if (options.json) {
    for (const listing of listings) process.stdout.write(`${JSON.stringify(listing)}\n`);
    return;
  }
  for (const listing of listings) {
    process.stdout.write(`${listing.name} (${clock(listing.durationSeconds)})\n`);
    process.stdout.write(`  ${listing.story}\n`);
    process.stdout.write(`  traffic: ${listing.shape}\n`);
    if (listing.faults.length > 0) process.stdout.write(`  faults on: ${listing.faults.join(', ')}\n`);
    if (listing.alerts.length === 0) process.stdout.write('  expects: no alert\n');
    for (const alert of listing.alerts) {
      process.stdout.write(
        `  expects: ${alert.uid} (${alert.title}) firing after ~${clock(alert.expectedSeconds)}, ` +
          `Normal ~${clock(alert.resolveSeconds)} after ${alert.resolvedBy === 'reset' ? 'reset' : 'reset or the end'}\n`,
      );
    }
    process.stdout.write('\n');
  }
  process.stdout.write(
    'Each scenario runs longer than its alerts need to fire (signal delay + query window + evaluation + pending period);\n' +
      'the times are worst cases on the Docker stack, checked against measured runs (bench/RESULTS.md).\n',
  );
}
