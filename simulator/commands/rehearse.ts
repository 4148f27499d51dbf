import { writeFile } from 'node:fs/promises';
import { sourceHeading } from '../display/format.ts';
import { rehearsalMarkdown, rehearsalSummary, rehearsalTable } from '../rehearsal/table.ts';
import { createReporter } from '../display/reporter.ts';
import { CliError, exitCodes, UsageError, type ExitCode } from '../errors.ts';
import { graceSeconds, verdict } from '../rehearsal/rehearsal.ts';
import { rehearse, rehearsedScenarios } from '../rehearsal/rehearse.ts';
import type { TargetFlags } from '../clients/targets.ts';
import type { PhasedScenario } from '../scenarios/scenario.ts';
import { commandContext } from '../context.ts';
import { interruptOnSignals } from '../run/interrupt.ts';

export interface RehearseFlags {
  json?: boolean;
  /** Also write the table as Markdown to this file. */
  report?: string;
  seed?: number;
}

export const rehearsedScenarioNames = rehearsedScenarios.map((scenario) => scenario.name);

/** The scenarios named on the command line, in their order; none named: every one. */
function chosenScenarios(names: readonly string[]): PhasedScenario[] {
  if (names.length === 0) return rehearsedScenarios;
  return names.map((name) => {
    const scenario = rehearsedScenarios.find((candidate) => candidate.name === name);
    if (!scenario) {
      throw new UsageError(
        `unknown scenario "${name}": rehearse some of ${rehearsedScenarioNames.join(', ')}`,
      );
    }
    return scenario;
  });
}

/** Every scenario (or the ones named) in turn, each alert to Firing and back to Normal: the night-before check. */
export async function rehearseCommand(
  names: readonly string[],
  flags: RehearseFlags,
  targetFlags: TargetFlags,
): Promise<ExitCode> {
  const scenarios = chosenScenarios(names);
  const { targets, shop, openAlerts, openAlertmanager } = commandContext(targetFlags);
  if (!targets.adminToken) {
    throw new UsageError(
      'rehearse sets faults and resets: set ADMIN_TOKEN (or --admin-token) to the stack’s token',
    );
  }
  const alerts = await openAlerts();
  if (!alerts.source)
    throw new CliError(`${alerts.unavailable}; rehearse needs alert states`, exitCodes.unreachable);
  const source = alerts.source;
  // Who was told is read from the status page; with no Alertmanager nobody is, and it is not checked.
  const alertmanager = await openAlertmanager().catch(() => null);
  const reporter = createReporter(flags.json ? 'json' : process.stdout.isTTY ? 'live' : 'plain');
  const stop = interruptOnSignals(reporter);
  const startedAt = new Date();
  const write = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (flags.json) {
      write(
        JSON.stringify({
          type: 'rehearsal-start',
          alertSource: source.kind,
          scenarios: scenarios.map((s) => s.name),
        }),
      );
    } else {
      write(
        `Rehearsing ${scenarios.map((s) => s.name).join(', ')}; alert states from ${sourceHeading(source.kind, targets.grafanaUrl)}.`,
      );
      write(
        alertmanager
          ? `Notifications: what the status page heard from ${alertmanager.name}'s receivers.`
          : 'Notifications: not checked (no Alertmanager answers; maintenance is skipped).',
      );
    }
    const result = await rehearse({
      scenarios,
      source,
      alertmanager,
      shop,
      targets,
      signal: stop.signal,
      // Progress lines every half second would bury the rest of --json.
      onEvent: (event) => {
        if (!(flags.json && event.type === 'progress')) reporter.onEvent(event);
      },
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    });
    reporter.close();
    if (flags.json) {
      for (const row of result.rows)
        write(JSON.stringify({ type: 'rehearsal-row', ...row, verdict: verdict(row) }));
    } else {
      write('');
      for (const line of rehearsalTable(result.rows)) write(line);
    }
    const ok = !result.interrupted && result.rows.every((row) => row.problems.length === 0);
    const summary = rehearsalSummary(result.rows);
    if (flags.json)
      write(
        JSON.stringify({
          type: 'rehearsal',
          alertSource: source.kind,
          ok,
          interrupted: result.interrupted,
          summary,
        }),
      );
    else
      write(
        `${summary}${source.kind === 'preview' ? ' (preview computed from the rule file, not Grafana)' : ''}`,
      );
    if (flags.report) {
      const markdown = rehearsalMarkdown(result.rows, {
        source: source.kind,
        grafanaUrl: targets.grafanaUrl,
        startedAt,
        graceSeconds,
      });
      await writeFile(flags.report, markdown).catch((error: unknown) => {
        throw new CliError(`could not write ${flags.report}: ${(error as Error).message}`, exitCodes.failure);
      });
    }
    if (result.interrupted) return exitCodes.interrupted;
    return ok ? exitCodes.ok : exitCodes.rehearsalMissed;
  } finally {
    stop.dispose();
    reporter.close();
    await alerts.close();
  }
}
