import type { AlertStateSource } from '../alerts/state-source.ts';
import { verdict, type RehearsalRow } from './rehearsal.ts';
import { clock, sourceHeading } from '../display/format.ts';
import { notifySlackSeconds } from './notifications.ts';

const headings = [
  'scenario',
  'alert',
  'expected (fire / resolve)',
  'fired at',
  'notified (receivers)',
  'resolved at',
  'resolve notified',
  'verdict',
];

const orDash = (seconds: number | undefined) => (seconds === undefined ? '—' : clock(seconds));

/** One row of cells per rehearsal row; times are from the scenario's start and from its reset. */
export function rehearsalCells(rows: readonly RehearsalRow[]): string[][] {
  return rows.map((row) => {
    const alert = row.kind === 'quiet' ? row.title : [row.uid, row.instance].filter(Boolean).join(' ');
    const expected =
      row.kind === 'expected'
        ? `~${orDash(row.expectedFireSeconds)} / ~${orDash(row.expectedResolveSeconds)}`
        : row.kind === 'unexpected'
          ? 'not expected'
          : '—';
    const fired =
      row.kind === 'unexpected'
        ? `${row.afterReset ? 'after reset' : orDash(row.firedAtSeconds)} (${row.state})`
        : orDash(row.firedAtSeconds);
    const heard = row.notifications;
    const notified = heard
      ? `${orDash(heard.notifiedAtSeconds)} (${heard.receivers.join(', ') || 'nobody'})`
      : '—';
    return [
      row.scenario,
      alert,
      expected,
      fired,
      notified,
      orDash(row.resolvedAtSeconds),
      orDash(heard?.resolveNotifiedAtSeconds),
      verdict(row),
    ];
  });
}

/** The table for a terminal: columns padded to their widest cell. */
export function rehearsalTable(rows: readonly RehearsalRow[]): string[] {
  const cells = [headings, ...rehearsalCells(rows)];
  const widths = headings.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headings), widths.map((width) => '─'.repeat(width)).join('  '), ...cells.slice(1).map(line)];
}

/** "6 of 7 expected instances fired and resolved on time · 1 unexpected" */
export function rehearsalSummary(rows: readonly RehearsalRow[]): string {
  const expected = rows.filter((row) => row.kind === 'expected');
  const onTime = expected.filter((row) => row.problems.length === 0).length;
  const unexpected = rows.filter((row) => row.kind === 'unexpected').length;
  const notRun = rows.filter((row) => row.problems.includes('not run')).length;
  return [
    `${onTime} of ${expected.length} expected instances fired and resolved on time`,
    `${unexpected} unexpected`,
    ...(notRun > 0 ? [`${notRun} not run`] : []),
  ].join(' · ');
}

/** The rehearsal as a Markdown document (--report FILE). */
export function rehearsalMarkdown(
  rows: readonly RehearsalRow[],
  meta: { source: AlertStateSource['kind']; grafanaUrl: string; startedAt: Date; graceSeconds: number },
): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const tableLine = (cells: string[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [
    '# ShopFast rehearsal',
    '',
    `Started ${meta.startedAt.toISOString()}; alert states from ${sourceHeading(meta.source, meta.grafanaUrl)}.`,
    `Fired at: from the scenario's start. Resolved at: from the reset after it. An alert is late when it`,
    `takes more than the catalog's estimate plus one evaluation interval (${meta.graceSeconds} s).`,
    `Notified: the first firing notification on the status page and the receivers that sent it; a`,
    `notification is late after group_wait plus one evaluation interval (${notifySlackSeconds} s).`,
    '',
    tableLine(headings),
    tableLine(headings.map(() => '---')),
    ...rehearsalCells(rows).map(tableLine),
    '',
    rehearsalSummary(rows),
    '',
  ].join('\n');
}
