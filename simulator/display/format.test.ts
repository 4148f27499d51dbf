import { describe, expect, it } from 'vitest';
import { ruleStatus } from '../testing/fake-alert-source.ts';
import {
  alertLine,
  clock,
  faultList,
  progressBar,
  ruleStateText,
  summaryLines,
  waitingLine,
} from './format.ts';

describe('display formatting', () => {
  it('formats clocks, bars and fault lists', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(75.4)).toBe('1:15');
    expect(progressBar(0.5, 10)).toBe('█████░░░░░');
    expect(progressBar(3, 4)).toBe('████');
    expect(faultList({})).toBe('none');
    expect(faultList({ api: { cpuBurn: 1, latencyMs: 1100 }, payment: { gatewayFailureRate: 0.8 } })).toBe(
      'api cpuBurn=1 latencyMs=1100; payment gatewayFailureRate=0.8',
    );
  });

  it('shows when an alert went pending or fired, against the expected time', () => {
    const base = { uid: 'high-cpu', title: 'High CPU usage', expectedSeconds: 82, instances: [] };
    expect(alertLine({ ...base, state: 'Normal' })).toBe('Normal (expected ~1:22)');
    expect(alertLine({ ...base, state: 'Pending', pendingAfterSeconds: 61 })).toBe(
      'Pending since 1:01 (expected ~1:22)',
    );
    expect(alertLine({ ...base, state: 'Firing', pendingAfterSeconds: 61, firingAfterSeconds: 80 })).toBe(
      'Firing after 1:20 (expected ~1:22)',
    );
    expect(alertLine({ ...base, state: 'Normal', firingAfterSeconds: 80 })).toBe(
      'Normal, fired at 1:20 (expected ~1:22)',
    );
  });

  it('says when an alert was active before the run, and labels preview states as such', () => {
    const base = { uid: 'failed-logins', title: 'Failed logins', expectedSeconds: 13, instances: [] };
    expect(alertLine({ ...base, state: 'Firing' })).toBe('Firing since before this run (expected ~0:13)');
    expect(alertLine({ ...base, state: 'Firing', firingAfterSeconds: 12 }, 'preview')).toBe(
      'preview: Firing after 0:12 (expected ~0:13)',
    );
  });

  it('shows how long a rule has been Pending or Firing and when it fires', () => {
    const now = Date.parse('2026-12-01T10:00:30Z');
    const status = ruleStatus('high-cpu', [
      { labels: { service: 'api' }, state: 'Pending', activeSinceMs: now - 12_000 },
    ]);
    expect(ruleStateText(status, now)).toBe('Pending 12 s, fires at ~10 s');
    const firing = ruleStatus('failed-logins', [{ state: 'Alerting', activeSinceMs: now - 65_000 }]);
    expect(ruleStateText(firing, now)).toBe('Firing for 65 s');
    expect(ruleStateText(ruleStatus('failed-logins'), now)).toBe('Normal');
  });

  it('describes a wait for Normal with each active rule and instance', () => {
    expect(
      waitingLine({
        type: 'waiting',
        reason: 'before trigger',
        alertSource: 'preview',
        active: [
          {
            uid: 'high-error-rate',
            title: 'High error rate',
            state: 'Firing',
            instances: ['service=api Firing'],
          },
        ],
        elapsedSeconds: 12,
        timeoutSeconds: 300,
      }),
    ).toBe(
      'waiting for Normal before trigger (0:12, at most 5:00): preview: High error rate Firing (service=api Firing)',
    );
  });

  it('summarises a run, saying when the alert states were unknown and which faults were undone', () => {
    const lines = summaryLines({
      scenario: 'payment-failures',
      stopReason: 'aborted',
      elapsedSeconds: 12.34,
      journeys: 70,
      lateStarts: 2,
      dropped: 0,
      targetRate: 6,
      achievedRate: 5.8,
      requests: 120,
      errorPercent: 20,
      latency: { count: 70, p50Ms: 12, p95Ms: 480, p99Ms: 1500, maxMs: 1600, meanMs: 80 },
      statusCounts: { '502': 24, '200': 96 },
      journeysByKind: {},
      slowestJourneys: [],
      alerts: null,
      unexpected: [],
      alertSource: null,
      faultsUndone: ['payment'],
      faultsLeft: [],
    });
    expect(lines[0]).toBe('payment-failures finished after 12.3 s (aborted)');
    expect(lines).toContain('  statuses  200×96 502×24');
    expect(lines[1]).toMatch(/^ {2}journeys {2}70 started \(2 late\), 0 dropped/);
    expect(lines).toContain('  alerts    Grafana not reachable and no rule preview — alert states unknown');
    expect(lines).toContain('  faults    undone on payment');
    expect(lines.join('\n')).toContain('p99 1.50 s');
  });
});
