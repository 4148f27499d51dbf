import { alertByUid } from '../../domain/alerts.ts';
import type { AlertStateSource } from './state-source.ts';
import type { Reporter } from '../display/reporter.ts';
import { exitCodes, type ExitCode } from '../errors.ts';
import { waitUntilNormalReported } from './wait-for-normal.ts';
import { activeRules, type ActiveRule } from './instances.ts';

export interface NormalFirst {
  source: AlertStateSource;
  /** The alerts the command waits to see fire. */
  uids: string[];
  /** false (--no-wait): stop at once when one of them is already active. */
  wait: boolean;
  timeoutSeconds: number;
  reporter: Reporter;
  signal: AbortSignal;
  pollMs?: number;
  /**
   * trigger: clears the active alerts' own signal before waiting, and says so, so they return to
   * Normal without a `reset`. Without it, the command waits for whatever returns them to Normal.
   */
  clearFirst?: (active: ActiveRule[]) => Promise<void>;
}

/**
 * Only a new alert counts: one already Pending or Firing is waited out (or, with --no-wait, the
 * command stops). Returns the exit code when the scenario must not start.
 */
export async function normalFirst(options: NormalFirst): Promise<ExitCode | undefined> {
  const { source, uids, reporter } = options;
  const active = activeRules(await source.ruleStatuses(), uids);
  if (active.length === 0) return undefined;
  const what = `${active.map((rule) => `${rule.uid} is ${rule.state}`).join(', ')}${source.kind === 'preview' ? ' (preview)' : ''}`;
  if (!options.wait) {
    reporter.note(
      `${what} already, before the scenario starts: stopping (--no-wait). \`shopfast-sim reset --wait\` brings every alert back to Normal.`,
    );
    return exitCodes.notNormal;
  }
  if (options.clearFirst) {
    await options.clearFirst(active);
  } else {
    reporter.note(
      `${what} already: waiting for it to return to Normal first, so that only a new alert counts`,
    );
    for (const rule of active) {
      const alert = alertByUid(rule.uid);
      if (alert?.resolvedBy === 'reset') {
        reporter.note(`${rule.uid} returns to Normal after \`shopfast-sim reset\` (${alert.resolveNote})`);
      }
    }
  }
  const result = await waitUntilNormalReported({
    source,
    uids,
    timeoutSeconds: options.timeoutSeconds,
    reason: 'before the scenario',
    signal: options.signal,
    onEvent: (event) => reporter.onEvent(event),
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
  });
  if (result.interrupted) return exitCodes.interrupted;
  if (result.normal) return undefined;
  reporter.note(
    `still not Normal after ${options.timeoutSeconds} s: ${result.active.map((rule) => `${rule.uid} ${rule.state}`).join(', ')} (run shopfast-sim reset)`,
  );
  return exitCodes.notNormal;
}
