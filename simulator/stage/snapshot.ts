// What the stage page receives over its event stream: the whole picture, sent again on every change.
// Times are epoch milliseconds; the page turns them into running clocks itself.

import type { AlertSourceKind } from '../run/events.ts';

/** An alert instance's state as the page shows it (Recovering also when the cause is gone but Firing holds). */
export type CardState = 'Normal' | 'Pending' | 'Firing' | 'Recovering' | 'NoData' | 'Error' | 'Unknown';

/** A running clock: the page counts towards (or from) `atMs`. */
export interface ClockView {
  kind:
    /** Pending: the evaluation at `atMs` fires it, if the condition holds until then. */
    | 'fires-in'
    /** Firing since `atMs`. */
    | 'firing-for'
    /** Recovering: Normal expected at about `atMs`. */
    | 'resolves-in'
    /** Recovering (Grafana's keep-firing state) since `atMs`. */
    | 'recovering-for'
    /** NoData or Error since `atMs`. */
    | 'since'
    /** Normal, and the running scenario should fire it at about `atMs`. */
    | 'expected-in';
  atMs: number;
}

export interface CardView {
  /** "high-cpu service=api", or the uid alone for a rule with one instance. */
  id: string;
  uid: string;
  title: string;
  /** "service=api", or "" for a rule with one instance. */
  instance: string;
  datasource: 'prometheus' | 'loki' | 'postgres';
  severity: 'critical' | 'warning';
  threshold: { op: 'gt' | 'lt'; value: number };
  state: CardState;
  /** Why the state reads as it does, in a few words ("value back under the threshold", an error…). */
  reason?: string;
  clock: ClockView | null;
  /** The latest value the rule's query gave for this instance, and when. */
  value: { atMs: number; value: number | null } | null;
  /** The last minutes of values, oldest first. */
  points: [atMs: number, value: number | null][];
  /** Receivers the status page says were told, with when (the latest notification). */
  notified: { receivers: string[]; atMs: number | null } | null;
  /** Receivers the Alertmanager routes the alert to, where one says. */
  routedTo: string[];
  silenced: boolean;
  muted: boolean;
  /** The running scenario expects this instance to fire. */
  expected: boolean;
}

export interface FaultView {
  service: string;
  kind: string;
  value: number;
  /** When it goes off: the run's end for a fault the stage's scenario set, else the service's expiry. */
  endsAtMs: number | null;
}

export interface TrafficView {
  scenario: string;
  phase: string;
  achievedRate: number;
  targetRate: number;
  requestRate: number;
  errorPercent: number;
  p95Ms: number;
  /** When the run reaches its planned end. */
  endsAtMs: number;
}

export interface ActivityView {
  kind: 'run' | 'trigger' | 'reset' | 'booth';
  /** "security-breach", "trigger failed-logins", "reset", "booth: normal, security-breach". */
  title: string;
  startedAtMs: number;
  /** The latest thing it said ("waiting for Normal…", "phase brute force"). */
  status: string;
  /** Alerts the running scenario expects, with when (from the part's start). */
  expected: { uid: string; title: string; expectedSeconds: number }[];
  /** When the scenario (or its current part) started, for the expected times. */
  partStartedAtMs: number | null;
  stopping: boolean;
}

export interface BoothView {
  running: boolean;
  scenarios: string[];
  seed: number | null;
  /** Scenarios played to the end (each with its reset and wait for Normal). */
  cycles: number;
  /** Passes over the whole list. */
  rounds: number;
  /** Instances that fired late or not at all, resolved late or not at all, or fired unexpectedly. */
  missed: number;
  /** The latest misses, oldest first. */
  misses: { scenario: string; what: string; atMs: number }[];
  current: string | null;
}

export interface SourceView {
  kind: AlertSourceKind;
  /** "Grafana at …" or "preview computed here from the rule file — not Grafana's state". */
  label: string;
  /** False when the last poll failed (states shown as Unknown). */
  answering: boolean;
  /** Where the values on the cards come from. */
  values: string;
  /** Where the notifications and silences come from, and whether they answer. */
  notifications: string;
}

export interface StageSnapshot {
  seq: number;
  /** When the server sent this snapshot. */
  sentAtMs: number;
  /** When the server learned of the change this snapshot carries. */
  changedAtMs: number;
  source: SourceView;
  cards: CardView[];
  traffic: TrafficView | null;
  faults: FaultView[];
  activity: ActivityView | null;
  booth: BoothView | null;
  /** The latest notes, newest last. */
  log: { atMs: number; text: string }[];
}
