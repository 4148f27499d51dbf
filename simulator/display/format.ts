import type { AlertProgress } from '../alert-watch.ts';
import type { PartSummary } from '../run-events.ts';
import type { FaultPlan } from '../scenarios/scenario.ts';

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

/** "Firing after 0:48 (expected ~0:52)" */
export function alertLine(alert: AlertProgress): string {
  const expected = `(expected ~${clock(alert.expectedSeconds)})`;
  if (alert.state === 'Firing' && alert.firingAfterSeconds !== undefined) {
    return `Firing after ${clock(alert.firingAfterSeconds)} ${expected}`;
  }
  if (alert.state === 'Pending' && alert.pendingAfterSeconds !== undefined) {
    return `Pending since ${clock(alert.pendingAfterSeconds)} ${expected}`;
  }
  if (alert.firingAfterSeconds !== undefined) {
    return `${alert.state}, fired at ${clock(alert.firingAfterSeconds)} ${expected}`;
  }
  return `${alert.state} ${expected}`;
}

export const grafanaUnknown = 'Grafana not reachable — alert states unknown';

/** The end-of-run report, plain text lines (the TTY view colours nothing here on purpose). */
export function summaryLines(summary: PartSummary): string[] {
  const statuses = Object.entries(summary.statusCounts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
  const width = Math.max(0, ...(summary.alerts ?? []).map((alert) => alert.title.length));
  const alerts =
    summary.alerts === null
      ? [grafanaUnknown]
      : summary.alerts.length === 0
        ? ['none expected']
        : summary.alerts.map((alert) => `${alert.title.padEnd(width)}  ${alertLine(alert)}`);
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
    ...alerts.map((line, index) => `  ${index === 0 ? 'alerts   ' : '         '} ${line}`),
    ...faults.map((line, index) => `  ${index === 0 ? 'faults   ' : '         '} ${line}`),
  ];
}
