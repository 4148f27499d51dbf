import { alertCatalog, secondsToFireIn, type AlertDefinition } from '../../domain/alerts.ts';
import { type ScenarioName } from '../../domain/scenarios.ts';
import { all } from './all.ts';
import { flapping } from './flapping.ts';
import { flashSale } from './flash-sale.ts';
import { highCpu } from './high-cpu.ts';
import { lowInventory } from './low-inventory.ts';
import { maintenance } from './maintenance.ts';
import { normal } from './normal.ts';
import { paymentFailures } from './payment-failures.ts';
import { incidentStartSeconds, phasesSeconds, type PhasedScenario, type Scenario } from './scenario.ts';
import { securityBreach } from './security-breach.ts';

/** The one list of scenarios: the CLI, the docs and the tests all read it. */
export const scenarios: Record<ScenarioName, Scenario> = {
  normal,
  'flash-sale': flashSale,
  'payment-failures': paymentFailures,
  'high-cpu': highCpu,
  'security-breach': securityBreach,
  'low-inventory': lowInventory,
  flapping,
  maintenance,
  all,
};

/**
 * Seconds a scenario keeps running after its slowest alert is expected to fire, so the alert is
 * seen firing on stage (the predecessor's scenarios ended before their alerts could fire).
 */
export const firingMarginSeconds = 10;

export function findScenario(name: string): Scenario | undefined {
  return Object.hasOwn(scenarios, name) ? scenarios[name as ScenarioName] : undefined;
}

export function phasedScenario(name: Exclude<ScenarioName, 'all'>): PhasedScenario {
  return scenarios[name] as PhasedScenario;
}

/** The parts a scenario runs: itself, or the scenarios of a sequence. */
export function scenarioParts(scenario: Scenario): PhasedScenario[] {
  return 'sequence' in scenario ? scenario.sequence.map(phasedScenario) : [scenario];
}

export function scenarioDurationSeconds(scenario: Scenario): number {
  return scenarioParts(scenario).reduce((sum, part) => sum + phasesSeconds(part.phases), 0);
}

export function expectedAlerts(scenario: Scenario): AlertDefinition[] {
  const names = new Set<ScenarioName>(scenarioParts(scenario).map((part) => part.name));
  return alertCatalog.filter((alert) => alert.scenarios.some((name) => names.has(name)));
}

/** Seconds from the start of the scenario (or of its part, in a sequence) until the alert should fire. */
export function expectedFiringSeconds(scenario: Scenario, alert: AlertDefinition): number | undefined {
  let offset = 0;
  for (const part of scenarioParts(scenario)) {
    if (alert.scenarios.includes(part.name)) {
      return offset + incidentStartSeconds(part) + secondsToFireIn(alert, part.name);
    }
    offset += phasesSeconds(part.phases);
  }
  return undefined;
}

/** The scenario that fires an alert (its first phased one). */
export function scenarioForAlert(alert: AlertDefinition): PhasedScenario | undefined {
  const name = alert.scenarios[0];
  return name === undefined ? undefined : phasedScenario(name);
}
