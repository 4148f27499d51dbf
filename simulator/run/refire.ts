import type { AlertDefinition } from '../../domain/alerts.ts';
import type { ShopAdmin } from '../clients/shop-client.ts';
import { expectedFiringSeconds } from '../scenarios/registry.ts';
import type { PhasedScenario } from '../scenarios/scenario.ts';
import type { ActiveRule } from '../alerts/instances.ts';
import type { AlertStateSource } from '../alerts/state-source.ts';
import { alertSignal } from './alert-signals.ts';
import type { RunEvent } from './events.ts';

/** What `trigger` does when its alert is still active from an earlier run, and how long it takes. */
export type RefireEvent = Extract<RunEvent, { type: 'refire' }>;

/** The catalog's worst cases: the alert back to Normal once its signal is cleared, then fired anew. */
export function refireTimes(
  alert: AlertDefinition,
  scenario: PhasedScenario,
): { resolveSeconds: number; fireSeconds: number; totalSeconds: number } {
  const resolveSeconds = alert.expectedSecondsToResolve;
  const fireSeconds = expectedFiringSeconds(scenario, alert) ?? alert.expectedSecondsToFire;
  return { resolveSeconds, fireSeconds, totalSeconds: resolveSeconds + fireSeconds };
}

/**
 * Clears the alert's own signal (what `reset` would do, for this alert only) so it can return to
 * Normal and fire again; returns the event that says so, with the expected times.
 */
export async function clearForRefire(options: {
  shop: ShopAdmin;
  alert: AlertDefinition;
  scenario: PhasedScenario;
  /** Its state now (the normalFirst check just read it). */
  state: string;
  alertSource: AlertStateSource['kind'];
}): Promise<RefireEvent> {
  const { alert, scenario } = options;
  const signal = alertSignal(alert);
  const cleared = await signal.clear(options.shop);
  return {
    type: 'refire',
    uid: alert.uid,
    state: options.state,
    alertSource: options.alertSource,
    scenario: scenario.name,
    clears: signal.clears,
    cleared,
    ...refireTimes(alert, scenario),
  };
}

/**
 * normalFirst's `clearFirst` for a trigger (the CLI's, the stage's): clears the alert's signal and
 * reports what it did and how long the refire takes.
 */
export function refireFirst(options: {
  shop: ShopAdmin;
  alert: AlertDefinition;
  scenario: PhasedScenario;
  alertSource: AlertStateSource['kind'];
  onEvent(event: RunEvent): void;
}): (active: ActiveRule[]) => Promise<void> {
  return async (active) => {
    const state = active.map((rule) => rule.state).join(', ');
    options.onEvent(await clearForRefire({ ...options, state }));
  };
}
