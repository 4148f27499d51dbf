import { exponential, type Random } from './random.ts';

/** A stretch of time whose arrival rate moves linearly from fromRate to toRate (per second). */
export interface RateStage {
  durationSeconds: number;
  fromRate: number;
  toRate: number;
}

/** Arrivals expected in the first `elapsedSeconds` of the profile (the integral of the rate). */
export function expectedArrivals(stages: readonly RateStage[], elapsedSeconds: number): number {
  let total = 0;
  let remaining = elapsedSeconds;
  for (const stage of stages) {
    if (remaining <= 0) break;
    const t = Math.min(remaining, stage.durationSeconds);
    const slope = (stage.toRate - stage.fromRate) / stage.durationSeconds;
    total += stage.fromRate * t + (slope * t * t) / 2;
    remaining -= t;
  }
  return total;
}

export function totalDurationSeconds(stages: readonly RateStage[]): number {
  return stages.reduce((sum, stage) => sum + stage.durationSeconds, 0);
}

/**
 * Absolute start times (ms from the start) of an open-loop arrival process.
 *
 * The n-th arrival happens when the integral of the rate reaches a target: n itself for evenly
 * spaced arrivals, or a running sum of exponential gaps for Poisson arrivals (a time-rescaled
 * Poisson process, exact for ramps). Times are absolute deadlines, so timer drift never accumulates.
 */
export class ArrivalSchedule {
  private stageIndex = 0;
  private stageStartSeconds = 0;
  private arrivalsBeforeStage = 0;
  private target = 0;
  private readonly poisson: boolean;
  private readonly random: Random | undefined;

  constructor(
    private readonly stages: readonly RateStage[],
    options: { poisson?: boolean; random?: Random } = {},
  ) {
    for (const stage of stages) {
      if (!(stage.durationSeconds > 0) || stage.fromRate < 0 || stage.toRate < 0) {
        throw new RangeError('every stage needs a positive duration and non-negative rates');
      }
    }
    this.poisson = options.poisson ?? false;
    this.random = options.random;
    if (this.poisson && !this.random) throw new RangeError('Poisson arrivals need a random source');
    if (this.poisson) this.target = exponential(this.random as Random);
  }

  /** Stage that the most recent arrival fell in. */
  get currentStage(): number {
    return this.stageIndex;
  }

  /** Start time in ms of the next arrival, or undefined once the profile is over. */
  next(): number | undefined {
    while (this.stageIndex < this.stages.length) {
      const stage = this.stages[this.stageIndex] as RateStage;
      const stageArrivals = (stage.durationSeconds * (stage.fromRate + stage.toRate)) / 2;
      const wanted = this.target - this.arrivalsBeforeStage;
      if (wanted < stageArrivals) {
        const offset = timeToReach(stage, wanted);
        this.target += this.poisson ? exponential(this.random as Random) : 1;
        return (this.stageStartSeconds + offset) * 1000;
      }
      this.arrivalsBeforeStage += stageArrivals;
      this.stageStartSeconds += stage.durationSeconds;
      this.stageIndex += 1;
    }
    return undefined;
  }
}

/** Seconds into a stage at which `count` arrivals have accumulated (inverse of the rate integral). */
function timeToReach(stage: RateStage, count: number): number {
  if (count <= 0) return 0;
  const halfSlope = (stage.toRate - stage.fromRate) / (2 * stage.durationSeconds);
  if (halfSlope === 0) return count / stage.fromRate;
  // Root of halfSlope·t² + fromRate·t − count = 0, in the form that stays stable when halfSlope ≈ 0.
  return (2 * count) / (stage.fromRate + Math.sqrt(stage.fromRate ** 2 + 4 * halfSlope * count));
}
