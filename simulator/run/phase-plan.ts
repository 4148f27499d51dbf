import type { TrafficStage } from '../engine/traffic-engine.ts';
import { mixPicker, type ShopFront } from '../scenarios/journeys.ts';
import type { Phase } from '../scenarios/scenario.ts';

/** Phases stretched or shrunk by the same factor (--duration keeps the scenario's proportions). */
export function scalePhases(phases: readonly Phase[], scale: number): Phase[] {
  return phases.map((phase) => ({ ...phase, durationSeconds: phase.durationSeconds * scale }));
}

/**
 * With --until-firing the run lasts the timeout (it stops earlier once the alerts fire): the
 * phases are cut at the timeout, or the last one goes on until it.
 */
export function fitToTimeout(phases: Phase[], timeoutSeconds: number): Phase[] {
  const fitted: Phase[] = [];
  let remaining = timeoutSeconds;
  for (const phase of phases) {
    if (remaining <= 0) break;
    fitted.push({ ...phase, durationSeconds: Math.min(phase.durationSeconds, remaining) });
    remaining -= phase.durationSeconds;
  }
  const last = phases[phases.length - 1];
  if (remaining > 0 && last) {
    fitted.push({ ...last, name: `${last.name} (until firing)`, durationSeconds: remaining });
  }
  return fitted;
}

/** The engine's stages: each phase's rate (times the --rate multiplier) and traffic mix. */
export function trafficStages(
  phases: readonly Phase[],
  rateMultiplier: number,
  shop: ShopFront,
): TrafficStage[] {
  return phases.map((phase) => {
    const [from, to] =
      typeof phase.rate === 'number' ? [phase.rate, phase.rate] : [phase.rate.from, phase.rate.to];
    return {
      durationSeconds: phase.durationSeconds,
      fromRate: from * rateMultiplier,
      toRate: to * rateMultiplier,
      pickAction: mixPicker(phase.mix, shop),
    };
  });
}
