/** Exit codes, documented in `shopfast-sim --help`. */
export const exitCodes = {
  ok: 0,
  /** An unexpected failure (a bug): the message says what happened. */
  failure: 1,
  /** Bad arguments or configuration: unknown scenario or alert, bad number or URL, missing admin token. */
  usage: 2,
  /** A service, Prometheus, Loki or Grafana did not answer. */
  unreachable: 3,
  /** --until-firing / trigger: an expected alert was not Firing in Grafana before the timeout. */
  notFiring: 4,
  /** check: at least one preflight check failed. */
  checkFailed: 5,
  /**
   * An alert was not Normal: already Pending or Firing when trigger / run --until-firing started
   * (with --no-wait), or still not Normal when the wait for it (or reset --wait) timed out.
   */
  notNormal: 6,
  /** rehearse: an alert fired late or not at all, resolved late, or an unexpected one left Normal. */
  rehearsalMissed: 7,
  /** check: nothing broken, but alerts are still on their way back to Normal (after reset, a run). */
  resolving: 8,
  /** Stopped by Ctrl-C or SIGTERM (faults were undone). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** An error the CLI reports as one clear line, exiting with its code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, exitCodes.usage);
  }
}

export class UnreachableError extends CliError {
  constructor(
    readonly target: string,
    readonly url: string,
    reason: string,
  ) {
    super(`${target} is not reachable at ${url} (${reason})`, exitCodes.unreachable);
  }
}

/** Why a fetch failed, in a few words (ECONNREFUSED, a timeout, …). */
export function describeFetchFailure(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'no answer in time';
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    if (typeof cause?.code === 'string') return cause.code;
    if (typeof cause?.message === 'string') return cause.message;
    return error.message;
  }
  return String(error);
}
