import {
  ArrivalSchedule,
  expectedArrivals,
  totalDurationSeconds,
  type RateStage,
} from './arrival-schedule.ts';
import { HttpPools, type HttpRequest, type HttpResponse } from './http-pools.ts';
import { newJourneyTrace, SlowestJourneys, type SlowJourney } from './journey-trace.ts';
import { LatencyHistogram, type LatencySummary } from './latency-histogram.ts';
import { seededRandom, type Random } from './random.ts';

/** What a journey can do: send requests (counted and timed by the engine) and draw random numbers. */
export interface ActionContext {
  send(request: HttpRequest): Promise<HttpResponse>;
  random: Random;
}

/** One unit of scheduled work: a single request or a short user journey. */
export interface TrafficAction {
  name: string;
  run(context: ActionContext): Promise<void>;
}

export interface TrafficStage extends RateStage {
  /** Chooses the action of each arrival in this stage (the traffic mix). */
  pickAction(random: Random): TrafficAction;
}

export interface TrafficPlan {
  stages: TrafficStage[];
  /** Arrivals due while this many actions are still running are dropped (and counted). */
  maxInFlight: number;
  /** Hard bound on scheduled arrivals, whatever the rates say. */
  maxArrivals: number;
  seed: number;
  poisson?: boolean;
  connectionsPerOrigin?: number;
  requestTimeoutMs?: number;
  /** After the last arrival, how long running actions may finish before they are cut off. */
  drainTimeoutMs?: number;
  /** A start this much later than its deadline counts as late (its latency still counts from the deadline). */
  lateStartMs?: number;
  /** Aborting stops scheduling at once and cancels running requests. */
  signal?: AbortSignal;
  /** Called when the scheduler enters a stage, at the stage's start time. */
  onStageStart?(stageIndex: number): void;
}

export interface ActionReport {
  iterations: number;
  failed: number;
  latency: LatencySummary;
}

export interface TrafficSnapshot {
  elapsedSeconds: number;
  stageIndex: number;
  scheduled: number;
  started: number;
  dropped: number;
  lateStarts: number;
  completed: number;
  inFlight: number;
  maxInFlightSeen: number;
  requests: number;
  /** Requests answered with a 5xx or not answered at all. */
  failedRequests: number;
  /** Arrival rate the profile asks for right now (per second). */
  currentTargetRate: number;
  latency: LatencySummary;
}

export type StopReason = 'completed' | 'stopped' | 'aborted' | 'max-arrivals';

export interface TrafficReport extends TrafficSnapshot {
  stopReason: StopReason;
  /** Seconds during which arrivals were scheduled. */
  windowSeconds: number;
  targetRate: number;
  achievedRate: number;
  statusCounts: Record<string, number>;
  actions: Record<string, ActionReport>;
  /** The slowest journeys with their trace ids (each journey sends its own traceparent). */
  slowestJourneys: SlowJourney[];
}

export interface TrafficRun {
  /** Live counters for the display. */
  snapshot(): TrafficSnapshot;
  /** Stops scheduling; running actions may finish (within the drain timeout). */
  stop(): void;
  readonly finished: Promise<TrafficReport>;
}

export function startTraffic(plan: TrafficPlan): TrafficRun {
  return new TrafficEngine(plan);
}

interface ActionStats {
  iterations: number;
  failed: number;
  histogram: LatencyHistogram;
}

class TrafficEngine implements TrafficRun {
  readonly finished: Promise<TrafficReport>;
  private readonly pools: HttpPools;
  /** Set once running requests are cut off: their outcomes are no longer counted. */
  private cancelled = false;
  private readonly overall = new LatencyHistogram();
  private readonly slowest = new SlowestJourneys();
  private readonly actions = new Map<string, ActionStats>();
  private readonly statusCounts = new Map<number, number>();
  /** Outcomes without an HTTP status: no response, or an error thrown by a journey. */
  private readonly otherOutcomes = new Map<string, number>();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly stageStartsMs: number[];
  private readonly startedAt = performance.now();
  private stopReason: StopReason | undefined;
  private wake: (() => void) | undefined;
  private stageIndex = -1;
  private scheduled = 0;
  private started = 0;
  private dropped = 0;
  private lateStarts = 0;
  private completed = 0;
  private maxInFlightSeen = 0;
  private requests = 0;
  private failedRequests = 0;

  constructor(private readonly plan: TrafficPlan) {
    if (!(plan.maxInFlight >= 1) || !(plan.maxArrivals >= 1)) {
      throw new RangeError('maxInFlight and maxArrivals must be at least 1');
    }
    this.pools = new HttpPools({
      connectionsPerOrigin: plan.connectionsPerOrigin ?? Math.min(plan.maxInFlight, 64),
      // Above the api's order budget (10 s), so a slow order is answered, not cut off.
      requestTimeoutMs: plan.requestTimeoutMs ?? 15_000,
    });
    let offset = 0;
    this.stageStartsMs = plan.stages.map((stage) => {
      const start = offset;
      offset += stage.durationSeconds * 1000;
      return start;
    });
    const onAbort = () => {
      this.cancelled = true;
      void this.pools.close();
      this.requestStop('aborted');
    };
    if (plan.signal?.aborted) onAbort();
    else plan.signal?.addEventListener('abort', onAbort, { once: true });
    this.finished = this.run().finally(() => plan.signal?.removeEventListener('abort', onAbort));
  }

  stop(): void {
    this.requestStop('stopped');
  }

  snapshot(): TrafficSnapshot {
    const stage = this.plan.stages[this.stageIndex];
    const elapsedSeconds = this.elapsedMs() / 1000;
    let currentTargetRate = 0;
    if (stage && this.stopReason === undefined) {
      const intoStage = elapsedSeconds - (this.stageStartsMs[this.stageIndex] as number) / 1000;
      const progress = Math.min(1, Math.max(0, intoStage / stage.durationSeconds));
      currentTargetRate = stage.fromRate + (stage.toRate - stage.fromRate) * progress;
    }
    return {
      elapsedSeconds,
      stageIndex: Math.max(0, this.stageIndex),
      scheduled: this.scheduled,
      started: this.started,
      dropped: this.dropped,
      lateStarts: this.lateStarts,
      completed: this.completed,
      inFlight: this.inFlight,
      maxInFlightSeen: this.maxInFlightSeen,
      requests: this.requests,
      failedRequests: this.failedRequests,
      currentTargetRate,
      latency: this.overall.summary(),
    };
  }

  private async run(): Promise<TrafficReport> {
    const actionRandom = seededRandom(this.plan.seed);
    const schedule = new ArrivalSchedule(this.plan.stages, {
      poisson: this.plan.poisson ?? false,
      random: seededRandom(this.plan.seed ^ 0x5bd1e995),
    });
    const lateStartMs = this.plan.lateStartMs ?? 10;
    const endMs = totalDurationSeconds(this.plan.stages) * 1000;
    let next = schedule.next();
    while (this.stopReason === undefined) {
      const now = this.elapsedMs();
      this.enterDueStages(now);
      while (next !== undefined && next <= now && this.stopReason === undefined) {
        if (this.scheduled >= this.plan.maxArrivals) {
          this.requestStop('max-arrivals');
          break;
        }
        this.scheduled += 1;
        if (now - next > lateStartMs) this.lateStarts += 1;
        if (this.inFlight >= this.plan.maxInFlight) {
          this.dropped += 1;
        } else {
          const stage = this.plan.stages[schedule.currentStage] as TrafficStage;
          this.launch(next, stage.pickAction(actionRandom), actionRandom);
        }
        next = schedule.next();
      }
      if (this.stopReason !== undefined) break;
      if (next === undefined && now >= endMs) {
        this.stopReason = 'completed';
        break;
      }
      const nextStageMs = this.stageStartsMs[this.stageIndex + 1] ?? endMs;
      await this.sleep(Math.min(next ?? endMs, nextStageMs, endMs) - this.elapsedMs());
    }
    const windowMs = Math.min(this.elapsedMs(), endMs);
    await this.drain();
    await this.pools.close();
    const snapshot = this.snapshot();
    const windowSeconds = windowMs / 1000;
    return {
      ...snapshot,
      stopReason: this.stopReason ?? 'completed',
      windowSeconds,
      targetRate: windowSeconds > 0 ? expectedArrivals(this.plan.stages, windowSeconds) / windowSeconds : 0,
      achievedRate: windowSeconds > 0 ? this.started / windowSeconds : 0,
      statusCounts: Object.fromEntries([...this.statusCounts, ...this.otherOutcomes]),
      actions: Object.fromEntries(
        [...this.actions].map(([name, stats]) => [
          name,
          { iterations: stats.iterations, failed: stats.failed, latency: stats.histogram.summary() },
        ]),
      ),
      slowestJourneys: this.slowest.list(),
    };
  }

  private enterDueStages(nowMs: number): void {
    while (this.stageIndex + 1 < this.plan.stages.length) {
      const nextStart = this.stageStartsMs[this.stageIndex + 1] as number;
      if (nextStart > nowMs) return;
      this.stageIndex += 1;
      this.plan.onStageStart?.(this.stageIndex);
    }
  }

  private launch(scheduledMs: number, action: TrafficAction, random: Random): void {
    this.started += 1;
    this.inFlight += 1;
    this.maxInFlightSeen = Math.max(this.maxInFlightSeen, this.inFlight);
    void this.iterate(scheduledMs, action, random);
  }

  /** One action, timed from its scheduled start; never rejects. */
  private async iterate(scheduledMs: number, action: TrafficAction, random: Random): Promise<void> {
    let failed = false;
    const trace = newJourneyTrace(action.name);
    const context: ActionContext = {
      random,
      send: async (request) => {
        const headers = { ...request.headers, traceparent: trace.traceparent };
        const response = await this.pools.send({ ...request, headers });
        if (!this.cancelled && this.count(response)) failed = true;
        return response;
      },
    };
    try {
      await action.run(context);
    } catch (error) {
      failed = true;
      this.countOther(`journey error (${error instanceof Error ? error.message : String(error)})`);
    }
    trace.end(failed);
    if (!this.cancelled) {
      // Latency counts from the scheduled start, so a stalled server cannot hide its stall.
      const latencyMs = this.elapsedMs() - scheduledMs;
      this.overall.record(latencyMs);
      this.slowest.offer({ action: action.name, traceId: trace.traceId, latencyMs });
      const stats = this.statsFor(action.name);
      stats.iterations += 1;
      if (failed) stats.failed += 1;
      stats.histogram.record(latencyMs);
      this.completed += 1;
    }
    this.inFlight -= 1;
    if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Counts a response; true when it is a failure of the service (5xx or no answer). */
  private count(response: HttpResponse): boolean {
    this.requests += 1;
    if (response.status === 0) {
      this.countOther(`no response (${response.failure})`);
    } else {
      this.statusCounts.set(response.status, (this.statusCounts.get(response.status) ?? 0) + 1);
    }
    const failed = response.status === 0 || response.status >= 500;
    if (failed) this.failedRequests += 1;
    return failed;
  }

  private countOther(key: string): void {
    this.otherOutcomes.set(key, (this.otherOutcomes.get(key) ?? 0) + 1);
  }

  private statsFor(name: string): ActionStats {
    let stats = this.actions.get(name);
    if (!stats) {
      stats = { iterations: 0, failed: 0, histogram: new LatencyHistogram() };
      this.actions.set(name, stats);
    }
    return stats;
  }

  private async drain(): Promise<void> {
    if (this.inFlight === 0) return;
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    if (!this.cancelled) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.plan.drainTimeoutMs ?? 10_000);
      });
      await Promise.race([idle, timeout]);
      clearTimeout(timer);
    }
    this.cancelled = true;
    await this.pools.close();
    await idle;
  }

  private requestStop(reason: StopReason): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.wake?.();
  }

  /**
   * Sleeps until a deadline (or a stop). Timers fire at 1 ms granularity at best, so arrivals less
   * than 1 ms apart start in small batches; their latency still counts from their own deadlines.
   */
  private sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.wake = undefined;
          resolve();
        },
        Math.max(1, milliseconds),
      );
      this.wake = () => {
        this.wake = undefined;
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private elapsedMs(): number {
    return performance.now() - this.startedAt;
  }
}
