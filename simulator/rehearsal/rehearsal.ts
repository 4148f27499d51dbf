import { ruleGroup, type AlertDefinition, type InstanceLabels } from '../../domain/alerts.ts';
import { instanceName } from '../alerts/instances.ts';
import type { UnexpectedAlert } from '../alerts/watch.ts';
import type { InstanceNotifications, NotificationProblem } from './notifications.ts';

// What `shopfast-sim rehearse` concludes about each alert instance of each scenario.

export type Problem =
  | 'not run'
  | 'not fired'
  | 'fired late'
  | 'not resolved'
  | 'resolved late'
  | 'unexpected alert'
  | NotificationProblem;

export interface RehearsalRow {
  scenario: string;
  /** expected: the catalog's firesIn; unexpected: left Normal although not expected; quiet: none expected, none seen. */
  kind: 'expected' | 'unexpected' | 'quiet';
  uid: string;
  title: string;
  /** "service=api", or "" for a rule with one instance. */
  instance: string;
  /** The catalog's estimate, seconds from the scenario's start (expected rows). */
  expectedFireSeconds?: number;
  /** Seconds from the scenario's start to Pending, when the watch saw it Pending (expected rows). */
  pendingAtSeconds?: number;
  /** Seconds from the scenario's start to Firing (unexpected rows: to leaving Normal). */
  firedAtSeconds?: number;
  /** The catalog's estimate, seconds from reset (expected rows). */
  expectedResolveSeconds?: number;
  /** Seconds from the reset after the scenario to Normal. */
  resolvedAtSeconds?: number;
  /** Unexpected rows: the worst state reached; afterReset when it left Normal only after the reset. */
  state?: string;
  afterReset?: boolean;
  /** What the receivers heard (expected rows, when notifications are delivered on this stack). */
  notifications?: InstanceNotifications;
  problems: Problem[];
}

/** One evaluation interval: the slack the verdicts allow on top of the catalog's estimates. */
export const graceSeconds = ruleGroup.intervalSeconds;

export function verdict(row: RehearsalRow): string {
  return row.problems.length === 0 ? 'ok' : row.problems.join(', ');
}

/** The verdict on an instance the catalog expects the scenario to fire. */
export function expectedRow(input: {
  scenario: string;
  alert: AlertDefinition;
  labels: InstanceLabels;
  expectedFireSeconds: number;
  pendingAtSeconds?: number;
  firedAtSeconds?: number;
  resolvedAtSeconds?: number;
  /** The scenario could not start (the alerts were not Normal before it). */
  notRun?: boolean;
}): RehearsalRow {
  const { alert, pendingAtSeconds, firedAtSeconds, resolvedAtSeconds } = input;
  const problems: Problem[] = [];
  if (input.notRun) problems.push('not run');
  else if (firedAtSeconds === undefined) problems.push('not fired');
  else {
    if (firedAtSeconds > input.expectedFireSeconds + graceSeconds) problems.push('fired late');
    if (resolvedAtSeconds === undefined) problems.push('not resolved');
    else if (resolvedAtSeconds > alert.expectedSecondsToResolve + graceSeconds)
      problems.push('resolved late');
  }
  return {
    scenario: input.scenario,
    kind: 'expected',
    uid: alert.uid,
    title: alert.title,
    instance: instanceName(input.labels),
    expectedFireSeconds: input.expectedFireSeconds,
    ...(pendingAtSeconds === undefined ? {} : { pendingAtSeconds }),
    ...(firedAtSeconds === undefined ? {} : { firedAtSeconds }),
    expectedResolveSeconds: alert.expectedSecondsToResolve,
    ...(resolvedAtSeconds === undefined ? {} : { resolvedAtSeconds }),
    problems,
  };
}

/** An instance that left Normal although the scenario does not fire it. */
export function unexpectedRow(
  scenario: string,
  alert: UnexpectedAlert,
  options: { afterReset: boolean; resolvedAtSeconds?: number },
): RehearsalRow {
  return {
    scenario,
    kind: 'unexpected',
    uid: alert.uid,
    title: alert.title,
    instance: instanceName(alert.labels),
    ...(options.afterReset ? { afterReset: true } : { firedAtSeconds: alert.atSeconds }),
    ...(options.resolvedAtSeconds === undefined ? {} : { resolvedAtSeconds: options.resolvedAtSeconds }),
    state: alert.state,
    problems: ['unexpected alert'],
  };
}

/** A scenario that expects no alert and saw none (normal). */
export function quietRow(scenario: string, notRun = false): RehearsalRow {
  return {
    scenario,
    kind: 'quiet',
    uid: '',
    title: 'no alert expected',
    instance: '',
    problems: notRun ? ['not run'] : [],
  };
}
