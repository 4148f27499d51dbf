import { alertByUid, alertCatalog, type AlertDefinition } from '../../domain/alerts.ts';
import { refireFirst } from '../run/refire.ts';
import { createReporter, type OutputMode } from '../display/reporter.ts';
import { CliError, exitCodes, UsageError, type ExitCode } from '../errors.ts';
import { runScenario } from '../run/run-scenario.ts';
import {
  expectedAlerts,
  findScenario,
  scenarioForAlert,
  scenarioParts,
  scenarios,
} from '../scenarios/registry.ts';
import { scenarioNames } from '../../domain/scenarios.ts';
import { setsSilences, type Scenario } from '../scenarios/scenario.ts';
import type { TargetFlags } from '../clients/targets.ts';
import { commandContext } from '../context.ts';
import { interruptOnSignals } from '../run/interrupt.ts';
import { normalFirst } from '../alerts/normal-first.ts';

export interface RunFlags {
  duration?: number;
  rate: number;
  untilFiring?: boolean;
  timeout: number;
  /** false with --no-wait: stop instead of waiting when an awaited alert is already active. */
  wait?: boolean;
  json?: boolean;
  seed?: number;
  poisson?: boolean;
  /** run: background traffic until Ctrl-C (a scenario that fires no alert). */
  untilStopped?: boolean;
  /** One line redrawn in place instead of the live view. */
  quiet?: boolean;
}

export function scenarioByName(name: string): Scenario {
  const scenario = findScenario(name);
  if (!scenario)
    throw new UsageError(`unknown scenario "${name}": choose one of ${scenarioNames.join(', ')}`);
  return scenario;
}

export async function runCommand(name: string, flags: RunFlags, targetFlags: TargetFlags): Promise<ExitCode> {
  const scenario = scenarioByName(name);
  if (flags.quiet && flags.json) throw new UsageError('--quiet and --json: choose one');
  if (!flags.untilStopped) return play(scenario, flags, targetFlags);
  checkUntilStopped(scenario, flags);
  return playUntilStopped(scenario, flags, targetFlags);
}

/** --until-stopped is background traffic: a scenario that fires nothing, with no end of its own. */
export function checkUntilStopped(scenario: Scenario, flags: RunFlags): void {
  const clash = flags.untilFiring
    ? '--until-firing'
    : flags.duration !== undefined
      ? '--duration'
      : undefined;
  if (clash) throw new UsageError(`--until-stopped runs until Ctrl-C: it takes no ${clash}`);
  const quiet = Object.values(scenarios).filter((candidate) => expectedAlerts(candidate).length === 0);
  if (expectedAlerts(scenario).length > 0) {
    throw new UsageError(
      `--until-stopped plays background traffic: ${scenario.name} fires alerts; use ${quiet.map((s) => s.name).join(', ')}`,
    );
  }
}

/**
 * Background traffic until Ctrl-C: the scenario's rate (times --rate), what its shoppers buy put
 * back, no alert states read; Ctrl-C ends it as planned (exit 0). It sets no faults, so it undoes none.
 */
async function playUntilStopped(
  scenario: Scenario,
  flags: RunFlags,
  targetFlags: TargetFlags,
): Promise<ExitCode> {
  const { targets, shop } = commandContext(targetFlags);
  // Calm by default: one line on a terminal, a line a minute when piped.
  const reporter = createReporter(flags.json ? 'json' : 'quiet');
  const stop = interruptOnSignals(reporter, 'stopping the background traffic (it set no faults)');
  try {
    const result = await runScenario({
      scenario,
      targets,
      shop,
      alerts: null,
      rateMultiplier: flags.rate,
      untilFiring: false,
      untilStopped: true,
      poisson: flags.poisson ?? false,
      timeoutSeconds: flags.timeout,
      signal: stop.signal,
      onEvent: (event) => reporter.onEvent(event),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    });
    const { items, owed } = result.restocked ?? { items: 0, owed: 0 };
    reporter.note(
      `put back the ${items} items its shoppers bought${owed > 0 ? `; ${owed} could not be: \`shopfast-sim reset\` restores the stock` : ''}`,
    );
    return exitCodes.ok;
  } finally {
    stop.dispose();
    reporter.close();
  }
}

/** Runs the scenario that fires the alert, until Grafana (or the preview) shows it newly firing. */
export async function triggerCommand(
  uid: string,
  flags: RunFlags,
  targetFlags: TargetFlags,
): Promise<ExitCode> {
  const alert = alertByUid(uid);
  if (!alert) {
    throw new UsageError(
      `unknown alert "${uid}": choose one of ${alertCatalog.map((a) => a.uid).join(', ')}`,
    );
  }
  const scenario = scenarioForAlert(alert);
  if (!scenario) throw new UsageError(`no scenario fires ${uid}`);
  return play(scenario, { ...flags, untilFiring: true }, targetFlags, alert);
}

/** Plays the scenario; with `triggered`, until that alert newly fires, clearing its signal first if need be. */
async function play(
  scenario: Scenario,
  flags: RunFlags,
  targetFlags: TargetFlags,
  triggered?: AlertDefinition,
): Promise<ExitCode> {
  const awaitedAlerts = triggered ? [triggered.uid] : undefined;
  const { targets, shop, openAlerts, openAlertmanager } = commandContext(targetFlags);
  const untilFiring = flags.untilFiring ?? false;
  const alerts = await openAlerts();
  if (untilFiring && !alerts.source) {
    await alerts.close();
    throw new CliError(
      `${alerts.unavailable}; ${awaitedAlerts ? 'trigger' : '--until-firing'} needs alert states (\`shopfast-sim run <scenario>\` plays a scenario without them)`,
      exitCodes.unreachable,
    );
  }
  const mode: OutputMode = flags.json
    ? 'json'
    : flags.quiet
      ? 'quiet'
      : process.stdout.isTTY
        ? 'live'
        : 'plain';
  const reporter = createReporter(mode);
  const stop = interruptOnSignals(reporter);
  try {
    if (untilFiring && alerts.source) {
      const uids = awaitedAlerts ?? expectedAlerts(scenario).map((alert) => alert.uid);
      const source = alerts.source;
      const blocked = await normalFirst({
        source,
        uids,
        wait: flags.wait !== false,
        timeoutSeconds: flags.timeout,
        reporter,
        signal: stop.signal,
        ...(triggered && 'phases' in scenario
          ? {
              clearFirst: refireFirst({
                shop,
                alert: triggered,
                scenario,
                alertSource: source.kind,
                onEvent: (event) => reporter.onEvent(event),
              }),
            }
          : {}),
      });
      if (blocked !== undefined) return blocked;
    }
    const result = await runScenario({
      scenario,
      targets,
      shop,
      alerts: alerts.source,
      rateMultiplier: flags.rate,
      untilFiring,
      poisson: flags.poisson ?? false,
      timeoutSeconds: flags.timeout,
      signal: stop.signal,
      onEvent: (event) => reporter.onEvent(event),
      ...(scenarioParts(scenario).some(setsSilences) ? { alertmanager: await openAlertmanager() } : {}),
      ...(flags.duration === undefined ? {} : { durationSeconds: flags.duration }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      ...(awaitedAlerts ? { awaitedAlerts } : {}),
    });
    if (result.parts.some((part) => part.faultsLeft.length > 0)) {
      reporter.note('some faults could not be undone: run `shopfast-sim reset`');
      return exitCodes.unreachable;
    }
    if (result.interrupted) return exitCodes.interrupted;
    if (untilFiring && result.notFired.length > 0) {
      reporter.note(
        `not firing after ${flags.timeout} s: ${result.notFired.join(', ')} (see shopfast-sim check)`,
      );
      return exitCodes.notFiring;
    }
    return exitCodes.ok;
  } finally {
    stop.dispose();
    reporter.close();
    await alerts.close();
  }
}
