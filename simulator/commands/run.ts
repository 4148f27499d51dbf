import { alertByUid, alertCatalog } from '../../grafana/src/catalog.ts';
import { createReporter, type OutputMode } from '../display/reporter.ts';
import { exitCodes, UnreachableError, UsageError, type ExitCode } from '../errors.ts';
import { runScenario } from '../run-scenario.ts';
import { findScenario, scenarioForAlert, scenarioNames } from '../scenarios/registry.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { TargetFlags } from '../targets.ts';
import { commandContext } from './context.ts';

export interface RunFlags {
  duration?: number;
  rate: number;
  untilFiring?: boolean;
  timeout: number;
  json?: boolean;
  seed?: number;
  poisson?: boolean;
}

export function scenarioByName(name: string): Scenario {
  const scenario = findScenario(name);
  if (!scenario)
    throw new UsageError(`unknown scenario "${name}": choose one of ${scenarioNames.join(', ')}`);
  return scenario;
}

export async function runCommand(name: string, flags: RunFlags, targetFlags: TargetFlags): Promise<ExitCode> {
  return play(scenarioByName(name), flags, targetFlags);
}

/** Runs the scenario that fires the alert, until Grafana shows it firing. */
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
  return play(scenario, { ...flags, untilFiring: true }, targetFlags, [alert.uid]);
}

async function play(
  scenario: Scenario,
  flags: RunFlags,
  targetFlags: TargetFlags,
  awaitedAlerts?: string[],
): Promise<ExitCode> {
  const { targets, shop, grafana } = commandContext(targetFlags);
  const mode: OutputMode = flags.json ? 'json' : process.stdout.isTTY ? 'live' : 'plain';
  const reporter = createReporter(mode);
  const stop = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    // The second Ctrl-C exits at once, without waiting for the faults to be undone.
    if (signals > 1) process.exit(exitCodes.interrupted);
    reporter.note(`${signal}: stopping the traffic and undoing the faults… (Ctrl-C again to exit at once)`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runScenario({
      scenario,
      targets,
      shop,
      grafana,
      rateMultiplier: flags.rate,
      untilFiring: flags.untilFiring ?? false,
      poisson: flags.poisson ?? false,
      timeoutSeconds: flags.timeout,
      signal: stop.signal,
      onEvent: (event) => reporter.onEvent(event),
      ...(flags.duration === undefined ? {} : { durationSeconds: flags.duration }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      ...(awaitedAlerts ? { awaitedAlerts } : {}),
    });
    if (result.parts.some((part) => part.faultsLeft.length > 0)) {
      reporter.note('some faults could not be undone: run `shopfast-sim reset`');
      return exitCodes.unreachable;
    }
    if (result.interrupted) return exitCodes.interrupted;
    if (flags.untilFiring && result.notFired.length > 0) {
      reporter.note(
        `not firing after ${flags.timeout} s: ${result.notFired.join(', ')} (see shopfast-sim check)`,
      );
      return exitCodes.notFiring;
    }
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof UnreachableError && error.target === 'Grafana' && awaitedAlerts) {
      throw new UnreachableError(
        'Grafana',
        error.url,
        'trigger waits for the alert in Grafana; `shopfast-sim run <scenario>` plays a scenario without it',
      );
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    reporter.close();
  }
}
