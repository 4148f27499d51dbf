import type { Logger } from 'pino';

export interface SweeperOptions {
  /** Names the sweep in log lines, e.g. 'stock reservations'. */
  what: string;
  intervalMs: number;
  logger: Logger;
  /** One pass; resolves with how many things it settled. */
  sweep: () => Promise<number>;
}

/**
 * Runs a clean-up pass every intervalMs, one pass at a time (a slow database never stacks them
 * up). A failed pass is logged and retried at the next tick; stop() waits for a pass under way.
 */
export function startSweeper({ what, intervalMs, logger, sweep }: SweeperOptions): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= sweep()
      .then((settled) => {
        if (settled > 0) logger.info({ settled }, `${what} expired`);
      })
      .catch((err: unknown) => logger.warn({ err }, `${what} sweep failed; retrying`))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
