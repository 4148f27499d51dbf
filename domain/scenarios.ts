// The scenarios' names: the simulator defines what each one does (simulator/scenarios/), the alert
// catalog names the scenarios that fire each alert, and both speak of them by these names.

export const scenarioNames = [
  'normal',
  'flash-sale',
  'payment-failures',
  'high-cpu',
  'security-breach',
  'low-inventory',
  'flapping',
  'maintenance',
  'all',
] as const;

export type ScenarioName = (typeof scenarioNames)[number];

/** Every scenario but `all`, which runs the others in sequence. */
export type PhasedScenarioName = Exclude<ScenarioName, 'all'>;
