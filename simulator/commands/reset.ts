import { createReporter } from '../display/reporter.ts';
import { resetLines } from '../display/format.ts';
import { CliError, exitCodes, type ExitCode } from '../errors.ts';
import { resetEverything } from '../run/reset.ts';
import type { TargetFlags } from '../clients/targets.ts';
import { waitUntilNormalReported } from '../alerts/wait-for-normal.ts';
import { commandContext } from '../context.ts';
import { expireOwnSilences } from '../alerts/silences.ts';
import type { AlertmanagerClient } from '../clients/alertmanager-client.ts';

export interface ResetFlags {
  /** Wait until every rule is Normal (in Grafana, else in the rule preview). */
  wait?: boolean;
  timeout: number;
  /** Leave the status page's incidents as they are. */
  keepIncidents?: boolean;
}

export async function resetCommand(flags: ResetFlags, targetFlags: TargetFlags): Promise<ExitCode> {
  const { shop, openAlerts, openAlertmanager } = commandContext(targetFlags);
  const outcome = await resetEverything(shop, { clearIncidents: !flags.keepIncidents });
  for (const line of resetLines(outcome)) process.stdout.write(`${line}\n`);
  process.stdout.write(`${await liftOwnSilences(openAlertmanager)}\n`);
  if (!flags.wait) {
    process.stdout.write('Alerts return to Normal at their next evaluations (--wait waits for it).\n');
    return exitCodes.ok;
  }
  const alerts = await openAlerts();
  const reporter = createReporter(process.stdout.isTTY ? 'live' : 'plain');
  try {
    if (!alerts.source)
      throw new CliError(`${alerts.unavailable}; --wait needs alert states`, exitCodes.unreachable);
    const result = await waitUntilNormalReported({
      source: alerts.source,
      timeoutSeconds: flags.timeout,
      reason: 'after reset',
      onEvent: (event) => reporter.onEvent(event),
    });
    if (result.normal) return exitCodes.ok;
    reporter.note(
      `still not Normal after ${flags.timeout} s: ${result.active.map((rule) => `${rule.uid} ${rule.state}`).join(', ')}`,
    );
    return exitCodes.notNormal;
  } finally {
    reporter.close();
    await alerts.close();
  }
}

/** The simulator's own silences expired (others' are left alone), in one line. */
async function liftOwnSilences(openAlertmanager: () => Promise<AlertmanagerClient>): Promise<string> {
  try {
    const alertmanager = await openAlertmanager();
    const lifted = await expireOwnSilences(alertmanager);
    return `✓ silences made by shopfast-sim lifted (${lifted}) in ${alertmanager.name}`;
  } catch (error) {
    if (error instanceof CliError) return `· silences not checked: ${error.message}`;
    throw error;
  }
}
