import type { FaultSettings } from '../../domain/faults.ts';
import type { ScenarioName } from '../../domain/scenarios.ts';
import { serviceNames, type ServiceName } from '../../domain/services.ts';

export type FaultPlan = Partial<Record<ServiceName, FaultSettings>>;

/** What one simulated person does on one visit. */
export type Journey =
  /** Home page on the frontend, then one product page. */
  | { kind: 'browse' }
  /** One product page on the frontend (a random product unless skus are given). */
  | { kind: 'view-product'; skus?: string[] }
  /**
   * Looks the product up through the api, then orders it. With keepHeadroom, shoppers pass when
   * stock minus the low-stock threshold is at or below it, so stock drains to a chosen level.
   */
  | { kind: 'checkout'; skus?: string[]; maxQuantity?: number; keepHeadroom?: number }
  /** A demo user logs in with the right password. */
  | { kind: 'login' }
  /** A wrong password for one of these accounts, from one of these client addresses. */
  | { kind: 'brute-force-login'; accounts: string[]; fromIps: string[] };

export type JourneyKind = Journey['kind'];

export interface MixEntry {
  weight: number;
  journey: Journey;
}

export interface Phase {
  name: string;
  durationSeconds: number;
  /** Journeys per second: constant, or ramping linearly across the phase. */
  rate: number | { from: number; to: number };
  mix: MixEntry[];
  /** Faults in force during this phase; services not named run clean. */
  faults?: FaultPlan;
  /** The incident starts with this phase: the expected alerts are timed from here. */
  incident?: boolean;
  /** A silence in force during this phase (set at its start, lifted at its end). */
  silence?: { alert: string };
}

export interface PhasedScenario {
  name: Exclude<ScenarioName, 'all'>;
  /** One line for `list` and the docs. */
  story: string;
  phases: Phase[];
  /**
   * The story is in the phases after the alert fires (a silence lifted, lulls survived): --until-firing
   * and rehearse play every phase instead of stopping once the alerts fire.
   */
  playsInFull?: boolean;
  /** Each receiver must hear exactly one firing and one resolved notification (rehearse checks it). */
  oneNotificationPair?: boolean;
}

export interface SequenceScenario {
  name: 'all';
  story: string;
  /** Run one after the other, with a reset between them. */
  sequence: Exclude<ScenarioName, 'all'>[];
}

export type Scenario = PhasedScenario | SequenceScenario;

export function phasesSeconds(phases: readonly Phase[]): number {
  return phases.reduce((sum, phase) => sum + phase.durationSeconds, 0);
}

/** Seconds from the scenario's start to its incident (0 when nothing is marked). */
export function incidentStartSeconds(scenario: PhasedScenario): number {
  let start = 0;
  for (const phase of scenario.phases) {
    if (phase.incident) return start;
    start += phase.durationSeconds;
  }
  return 0;
}

/** Services whose faults some phase sets. */
/** Seconds from the scenario's start until the last phase that silences `uid` ends; undefined if none does. */
export function silencedUntilSeconds(scenario: PhasedScenario, uid: string): number | undefined {
  let elapsed = 0;
  let until: number | undefined;
  for (const phase of scenario.phases) {
    elapsed += phase.durationSeconds;
    if (phase.silence?.alert === uid) until = elapsed;
  }
  return until;
}

/** Whether any phase of the scenario (or of its parts) sets a silence. */
export function setsSilences(scenario: PhasedScenario): boolean {
  return scenario.phases.some((phase) => phase.silence !== undefined);
}

export function faultedServices(scenario: PhasedScenario): ServiceName[] {
  const named = new Set(scenario.phases.flatMap((phase) => Object.keys(phase.faults ?? {}) as ServiceName[]));
  return serviceNames.filter((service) => named.has(service));
}
