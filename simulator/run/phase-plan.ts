import type { TrafficStage } from '../engine/traffic-engine.ts';
import { mixPicker, type ShopFront } from '../scenarios/journeys.ts';
import type { Phase } from '../scenarios/scenario.ts';

/** Phases stretched or shrunk by the same factor (--duration keeps the scenario's proportions). */
export function scalePhases(phases: readonly Phase[], scale: number): Phase[] {
  return phases.map((phase) => ({ ...phase, durationSeconds: phase.durationSeconds * scale }));
}

/**
 * The phases cut at `seconds`, or with the last one going on until then, named "(<why>)": with
 * --until-firing the run lasts the timeout (it stops earlier once the alerts fire), with
 * --until-stopped until Ctrl-C (at most untilStoppedSeconds).
 */
export function fitToLength(phases: Phase[], seconds: number, why: string): Phase[] {
  const fitted: Phase[] = [];
  let remaining = seconds;
  for (const phase of phases) {
    if (remaining <= 0) break;
    fitted.push({ ...phase, durationSeconds: Math.min(phase.durationSeconds, remaining) });
    remaining -= phase.durationSeconds;
  }
  const last = phases[phases.length - 1];
  if (remaining > 0 && last) {
    fitted.push({ ...last, name: `${last.name} (${why})`, durationSeconds: remaining });
  }
  return fitted;
}

/** --until-stopped ends by itself after this long: a terminal forgotten after a talk-day stops by the next. */
export const untilStoppedSeconds = 12 * 3600;

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
