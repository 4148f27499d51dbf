import { describe, expect, it } from 'vitest';
import { alertByUid } from '../../domain/alerts.ts';
import { clock } from '../display/format.ts';
import { rehearsalMarkdown, rehearsalSummary, rehearsalTable } from './table.ts';
import { expectedRow, graceSeconds, quietRow, unexpectedRow, verdict } from './rehearsal.ts';

const errorRate = alertByUid('high-error-rate')!;
const base = {
  scenario: 'payment-failures',
  alert: errorRate,
  labels: { service: 'payment' },
  expectedFireSeconds: 40,
};
/** An instance of `uid` for `service` that went Pending unexpectedly during payment-failures. */
const unexpected = (
  uid: string,
  service: string,
  atSeconds: number,
  options: Parameters<typeof unexpectedRow>[2],
) =>
  unexpectedRow(
    'payment-failures',
    { uid, title: alertByUid(uid)!.title, labels: { service }, state: 'Pending', atSeconds },
    options,
  );
const resolveGoal = errorRate.expectedSecondsToResolve + graceSeconds;

describe('rehearsal verdicts', () => {
  it('is ok up to one evaluation interval over the estimates, late beyond', () => {
    expect(
      verdict(expectedRow({ ...base, firedAtSeconds: 40 + graceSeconds, resolvedAtSeconds: resolveGoal })),
    ).toBe('ok');
    expect(verdict(expectedRow({ ...base, firedAtSeconds: 40.5 + graceSeconds, resolvedAtSeconds: 5 }))).toBe(
      'fired late',
    );
    expect(verdict(expectedRow({ ...base, firedAtSeconds: 12, resolvedAtSeconds: resolveGoal + 0.5 }))).toBe(
      'resolved late',
    );
    expect(verdict(expectedRow({ ...base, firedAtSeconds: 60, resolvedAtSeconds: resolveGoal + 1 }))).toBe(
      'fired late, resolved late',
    );
  });

  it('says not fired, not resolved and not run', () => {
    expect(expectedRow(base).problems).toEqual(['not fired']);
    expect(expectedRow({ ...base, firedAtSeconds: 20 }).problems).toEqual(['not resolved']);
    expect(expectedRow({ ...base, notRun: true }).problems).toEqual(['not run']);
  });

  it('always counts an unexpected alert as a miss, and a quiet scenario as ok', () => {
    const row = unexpected('high-error-rate', 'frontend', 31, { afterReset: false, resolvedAtSeconds: 12 });
    expect(verdict(row)).toBe('unexpected alert');
    expect(row).toMatchObject({ instance: 'service=frontend', firedAtSeconds: 31, resolvedAtSeconds: 12 });
    expect(verdict(quietRow('normal'))).toBe('ok');
    expect(verdict(quietRow('normal', true))).toBe('not run');
  });
});

describe('rehearsal table', () => {
  const rows = [
    quietRow('normal'),
    {
      ...expectedRow({ ...base, firedAtSeconds: 31, resolvedAtSeconds: 22 }),
      notifications: {
        expectedReceivers: ['on-call', 'shop-team'],
        receivers: ['on-call', 'shop-team'],
        notifiedAtSeconds: 36,
        resolveNotifiedAtSeconds: 29,
        firings: 1,
        resolves: 1,
      },
    },
    expectedRow({ ...base, labels: { service: 'api' }, firedAtSeconds: 61, resolvedAtSeconds: 24 }),
    expectedRow({ ...base, alert: alertByUid('payment-failures')!, labels: {}, expectedFireSeconds: 30 }),
    unexpected('slow-responses', 'api', 3, { afterReset: true, resolvedAtSeconds: 9 }),
  ];

  it('lines up alert, estimates, times and verdict for the terminal', () => {
    const resolve = `~${clock(errorRate.expectedSecondsToResolve)}`;
    const lines = rehearsalTable(rows);
    expect(lines[0]).toMatch(
      /^scenario +alert +expected \(fire \/ resolve\) +fired at +notified \(receivers\) +resolved at +resolve notified +verdict$/,
    );
    expect(lines[2]).toMatch(/^normal +no alert expected +— +— +— +— +— +ok$/);
    expect(lines[3]).toMatch(
      new RegExp(
        `^payment-failures +high-error-rate service=payment +~0:40 / ${resolve} +0:31 +0:36 \\(on-call, shop-team\\) +0:22 +0:29 +ok$`,
      ),
    );
    expect(lines[4]).toMatch(/high-error-rate service=api .* 1:01 +— +0:24 +— +fired late$/);
    expect(lines[5]).toMatch(/payment-failures +~0:30 \/ ~\d:\d\d +— +— +— +— +not fired$/);
    expect(lines[6]).toMatch(
      /slow-responses service=api +not expected +after reset \(Pending\) +— +0:09 +— +unexpected alert$/,
    );
    // Every row is as wide as the header's columns.
    const verdictColumn = lines[0]!.indexOf('verdict');
    for (const line of lines.slice(2)) expect(line.length).toBeGreaterThan(verdictColumn);
  });

  it('sums it up and writes it as Markdown', () => {
    expect(rehearsalSummary(rows)).toBe(
      '1 of 3 expected instances fired and resolved on time · 1 unexpected',
    );
    const markdown = rehearsalMarkdown(rows, {
      source: 'preview',
      grafanaUrl: 'http://localhost:3000',
      startedAt: new Date('2026-12-01T20:00:00Z'),
      graceSeconds,
    });
    expect(markdown).toContain(
      '| scenario | alert | expected (fire / resolve) | fired at | notified (receivers) | resolved at | resolve notified | verdict |',
    );
    expect(markdown).toContain('| --- | --- | --- | --- | --- | --- | --- | --- |');
    expect(markdown).toContain('| normal | no alert expected | — | — | — | — | — | ok |');
    expect(markdown).toContain("preview computed from the rule file, not Grafana's state");
    expect(markdown.split('\n').filter((line) => line.startsWith('| '))).toHaveLength(2 + rows.length);
  });
});
