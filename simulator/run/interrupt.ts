import type { Reporter } from '../display/reporter.ts';
import { exitCodes } from '../errors.ts';

/**
 * The first Ctrl-C (or SIGTERM) aborts the returned signal so the traffic stops and the faults
 * are undone; the second exits at once. Call dispose() when done.
 */
export function interruptOnSignals(
  reporter: Reporter,
  stopping = 'stopping the traffic and undoing the faults',
): { signal: AbortSignal; dispose(): void } {
  const stop = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(exitCodes.interrupted);
    reporter.note(`${signal}: ${stopping}… (Ctrl-C again to exit at once)`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: stop.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
