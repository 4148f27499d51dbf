import type { AlertStateSource } from '../alerts/state-source.ts';
import type { AlertChange, AlertProgress, UnexpectedAlert } from '../alerts/watch.ts';
import type { SlowJourney } from '../engine/journey-trace.ts';
import type { LatencySummary } from '../engine/latency-histogram.ts';
import type { StopReason } from '../engine/traffic-engine.ts';
import type { FaultPlan } from '../scenarios/scenario.ts';
import type { ActiveRule } from '../alerts/instances.ts';

/** Where the alert states come from; null when nothing can say (states unknown). */
export type AlertSourceKind = AlertStateSource['kind'] | null;

// What a scenario run reports as it goes: the live view, the plain lines and --json all read these.

export interface LiveStatus {
  scenario: string;
  phase: string;
  elapsedSeconds: number;
  /** Planned length of this part; with --until-firing, its timeout. */
  totalSeconds: number;
  targetRate: number;
  achievedRate: number;
  requestRate: number;
  errorPercent: number;
  p95Ms: number;
  inFlight: number;
  dropped: number;
  faults: FaultPlan;
  alertSource: AlertSourceKind;
  /** null while the alert states are unknown (no source, or it did not answer). */
  alerts: AlertProgress[] | null;
}

export interface PartSummary {
  scenario: string;
  stopReason: StopReason;
  elapsedSeconds: number;
  journeys: number;
  /** Journeys started more than 10 ms after their scheduled time (their latency still counts from it). */
  lateStarts: number;
  dropped: number;
  targetRate: number;
  achievedRate: number;
  requests: number;
  errorPercent: number;
  latency: LatencySummary;
  statusCounts: Record<string, number>;
  journeysByKind: Record<string, { iterations: number; failed: number; p95Ms: number }>;
  /** The slowest journeys' trace ids, to look up in Tempo (every journey sends its own traceparent). */
  slowestJourneys: SlowJourney[];
  alerts: AlertProgress[] | null;
  /** Instances that left Normal although the scenario does not fire them. */
  unexpected: UnexpectedAlert[];
  alertSource: AlertSourceKind;
  faultsUndone: string[];
  faultsLeft: { service: string; reason: string }[];
}

export type RunEvent =
  | {
      type: 'start';
      scenario: string;
      story: string;
      plannedSeconds: number;
      untilFiring: boolean;
      timeoutSeconds: number;
      seed: number;
      alertSource: AlertSourceKind;
      expected: { uid: string; title: string; expectedSeconds: number }[];
      /** Set when the run is too short for its alerts to fire. */
      warning?: string;
    }
  | { type: 'phase'; scenario: string; phase: string; faults: FaultPlan; atSeconds: number }
  | ({ type: 'progress' } & LiveStatus)
  | ({ type: 'alert'; scenario: string; title: string } & AlertChange)
  | ({ type: 'unexpected'; scenario: string } & UnexpectedAlert)
  | { type: 'reset'; before: string }
  | {
      type: 'waiting';
      /** What the wait is for, in words ("before trigger", "after reset"). */
      reason: string;
      alertSource: AlertStateSource['kind'];
      active: ActiveRule[];
      elapsedSeconds: number;
      timeoutSeconds: number;
    }
  | { type: 'normal'; reason: string; alertSource: AlertStateSource['kind']; elapsedSeconds: number }
  | {
      /** trigger found its alert still active from an earlier run and cleared its signal. */
      type: 'refire';
      uid: string;
      state: string;
      alertSource: AlertStateSource['kind'];
      /** The scenario that fires it again. */
      scenario: string;
      /** What clearing does, and what this time it did. */
      clears: string;
      cleared: string;
      /** The catalog's worst cases: back to Normal, then firing after the scenario starts; their sum. */
      resolveSeconds: number;
      fireSeconds: number;
      totalSeconds: number;
    }
  | ({ type: 'part-summary' } & PartSummary);
