import { instanceName, type ActiveRule } from '../alerts/instances.ts';
import type { AlertStateSource } from '../alerts/state-source.ts';
import type { AlertProgress, UnexpectedAlert } from '../alerts/watch.ts';
import type { RuleStatus } from '../alerts/state-source.ts';
import type { AlertSourceKind, LiveStatus, PartSummary, RunEvent } from '../run/events.ts';
import type { FaultPlan } from '../scenarios/scenario.ts';
import type { ResetOutcome } from '../run/reset.ts';

/** 75 → "1:15" */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

export function progressBar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

export function rate(perSecond: number): string {
  return `${perSecond.toFixed(perSecond < 10 ? 1 : 0)}/s`;
}

export function milliseconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** "payment gatewayFailureRate=0.8; api cpuBurn=1 latencyMs=1100", or "none". */
export function faultList(plan: FaultPlan): string {
  const parts = Object.entries(plan).map(
    ([service, faults]) =>
      `${service} ${Object.entries(faults ?? {})
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')}`,
  );
  return parts.length > 0 ? parts.join('; ') : 'none';
}

/** "preview: " before a state the preview computed, so it never reads as Grafana's. */
export function sourcePrefix(kind: AlertSourceKind): string {
  return kind === 'preview' ? 'preview: ' : '';
}

/** Where the states shown come from, for a heading. */
export function sourceHeading(kind: AlertStateSource['kind'], grafanaUrl: string): string {
  return kind === 'grafana'
    ? `Grafana at ${grafanaUrl}`
    : `preview computed from the rule file, not Grafana's state (Grafana not reachable at ${grafanaUrl})`;
}

/** Why the alert states are unknown. */
export function statesUnknown(kind: AlertSourceKind): string {
  if (kind === 'grafana') return 'Grafana did not answer — alert states unknown';
  if (kind === 'preview') return 'the rule preview did not answer — alert states unknown';
  return 'Grafana not reachable and no rule preview — alert states unknown';
}

/** "Firing after 0:48 (expected ~0:52)" */
export function alertLine(alert: AlertProgress, kind: AlertSourceKind = 'grafana'): string {
  const expected = `(expected ~${clock(alert.expectedSeconds)})`;
  const text = (() => {
    if (alert.state === 'Firing' && alert.firingAfterSeconds !== undefined) {
      return `Firing after ${clock(alert.firingAfterSeconds)}`;
    }
    if (alert.state === 'Pending' && alert.pendingAfterSeconds !== undefined) {
      return `Pending since ${clock(alert.pendingAfterSeconds)}`;
    }
    if (alert.firingAfterSeconds !== undefined)
      return `${alert.state}, fired at ${clock(alert.firingAfterSeconds)}`;
    if (alert.state === 'Firing' || alert.state === 'Pending') return `${alert.state} since before this run`;
    return alert.state;
  })();
  return `${sourcePrefix(kind)}${text} ${expected}`;
}

/** A rule's state now: "Pending 12 s, fires at ~10 s", "Firing for 65 s", "Normal". */
export function ruleStateText(status: RuleStatus, nowMs: number): string {
  const since =
    status.activeSinceMs === undefined
      ? undefined
      : Math.max(0, Math.round((nowMs - status.activeSinceMs) / 1000));
  if (status.state === 'Pending' && since !== undefined) {
    return status.pendingSeconds === undefined
      ? `Pending ${since} s`
      : `Pending ${since} s, fires at ~${status.pendingSeconds} s`;
  }
  if (status.state === 'Firing' && since !== undefined) return `Firing for ${since} s`;
  return status.state;
}

/** "High error rate service=frontend Pending at 0:32" */
export function unexpectedLine(alert: UnexpectedAlert): string {
  return [alert.title, instanceName(alert.labels), `${alert.state} at ${clock(alert.atSeconds)}`]
    .filter(Boolean)
    .join(' ');
}

/** " (service=api Firing, service=frontend Pending)", or "" for a rule with one unnamed instance. */
export function instanceList(rule: ActiveRule): string {
  const named = rule.instances.filter((instance) => instance !== rule.state);
  return named.length > 0 ? ` (${rule.instances.join(', ')})` : '';
}

/** "waiting for Normal before trigger (0:12, at most 5:00): preview: High error rate Firing (service=api Firing)" */
export function waitingLine(event: Extract<RunEvent, { type: 'waiting' }>): string {
  const rules = event.active.map((rule) => `${rule.title} ${rule.state}${instanceList(rule)}`).join('; ');
  return `waiting for Normal ${event.reason} (${clock(event.elapsedSeconds)}, at most ${clock(event.timeoutSeconds)}): ${sourcePrefix(event.alertSource)}${rules}`;
}

/**
 * "failed-logins is Firing (preview) from an earlier run: failed-login streak cleared (17 attempts);
 * back to Normal in ~10 s, then security-breach fires it again in ~0:18: about 0:28 in all"
 */
export function refireLine(event: Extract<RunEvent, { type: 'refire' }>): string {
  const source = event.alertSource === 'preview' ? ' (preview)' : '';
  return `${event.uid} is ${event.state}${source} from an earlier run: ${event.cleared}; back to Normal in ~${event.resolveSeconds} s, then ${event.scenario} fires it again in ~${clock(event.fireSeconds)}: about ${clock(event.totalSeconds)} in all`;
}

/** "preview: every rule Normal (after reset), waited 0:05" */
export function normalLine(event: Extract<RunEvent, { type: 'normal' }>): string {
  return `${sourcePrefix(event.alertSource)}every rule Normal (${event.reason}), waited ${clock(event.elapsedSeconds)}`;
}

/** The end-of-run report, plain text lines (the TTY view colours nothing here on purpose). */
export function summaryLines(summary: PartSummary, { alerts: withAlerts = true } = {}): string[] {
  const statuses = Object.entries(summary.statusCounts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
  const width = Math.max(0, ...(summary.alerts ?? []).map((alert) => alert.title.length));
  const alerts =
    summary.alerts === null
      ? [statesUnknown(summary.alertSource)]
      : [
          ...(summary.alerts.length === 0
            ? ['none expected']
            : summary.alerts.map(
                (alert) => `${alert.title.padEnd(width)}  ${alertLine(alert, summary.alertSource)}`,
              )),
          ...summary.unexpected.map(
            (alert) => `unexpected: ${sourcePrefix(summary.alertSource)}${unexpectedLine(alert)}`,
          ),
        ];
  const faults = [
    summary.faultsUndone.length > 0 ? `undone on ${summary.faultsUndone.join(', ')}` : 'none were set',
    ...summary.faultsLeft.map(
      (left) => `NOT undone on ${left.service}: ${left.reason} (run shopfast-sim reset)`,
    ),
  ];
  const { latency } = summary;
  return [
    `${summary.scenario} finished after ${summary.elapsedSeconds.toFixed(1)} s (${summary.stopReason})`,
    `  journeys  ${summary.journeys} started (${summary.lateStarts} late), ${summary.dropped} dropped · ${rate(summary.achievedRate)} achieved of ${rate(summary.targetRate)} target`,
    `  requests  ${summary.requests} · ${summary.errorPercent.toFixed(1)} % errors (5xx or no answer)`,
    `  latency   p50 ${milliseconds(latency.p50Ms)} · p95 ${milliseconds(latency.p95Ms)} · p99 ${milliseconds(latency.p99Ms)} · max ${milliseconds(latency.maxMs)} (from scheduled start)`,
    `  statuses  ${statuses || 'none'}`,
    ...(withAlerts ? alerts : []).map(
      (line, index) => `  ${index === 0 ? 'alerts   ' : '         '} ${line}`,
    ),
    ...faults.map((line, index) => `  ${index === 0 ? 'faults   ' : '         '} ${line}`),
  ];
}

/** "normal · 12:34 · 8.0/s of 8.0/s journeys · 12.9/s requests · 0.0 % errors · p95 490 ms · Ctrl-C stops it" */
export function calmLine(status: LiveStatus): string {
  return [
    status.scenario,
    clock(status.elapsedSeconds),
    `${rate(status.achievedRate)} of ${rate(status.targetRate)} journeys`,
    `${rate(status.requestRate)} requests`,
    `${status.errorPercent.toFixed(1)} % errors`,
    `p95 ${milliseconds(status.p95Ms)}`,
    ...(status.dropped > 0 ? [`${status.dropped} dropped`] : []),
    'Ctrl-C stops it',
  ].join(' · ');
}

/** What reset cleared, one ✓ line per part, with counts. */
export function resetLines(outcome: ResetOutcome): string[] {
  const inForce = outcome.faultsInForce.map(({ service, kinds }) => `${service} ${kinds.join(' ')}`);
  const incidents = outcome.incidentsCleared;
  return [
    `✓ faults cleared on ${outcome.faultsCleared.join(', ')} (${inForce.length > 0 ? `were in force: ${inForce.join('; ')}` : 'none were in force'})`,
    `✓ stock back to seed levels (${outcome.productsRestocked} products)`,
    `✓ failed-login streak cleared (${outcome.failedLoginsCleared} attempts)`,
    incidents === null
      ? '· status page incidents kept (--keep-incidents)'
      : `✓ status page incidents cleared (${incidents.open} open, ${incidents.resolved} resolved)`,
  ];
}
