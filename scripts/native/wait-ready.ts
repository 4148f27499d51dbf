import type { ManagedChild } from './child-process.ts';

export interface WaitReadyOptions {
  /** Human name for error messages, e.g. "api". */
  what: string;
  timeoutMs: number;
  /** When given, give up as soon as it exits, and quote its last output in the error. */
  child?: ManagedChild;
  /** Aborting it (Ctrl-C during startup) ends the wait at once. */
  signal?: AbortSignal;
}

const pollMs = 200;
const attemptTimeoutMs = 2_000;

/** Polls url until it answers 200; fails with a message that says why (timeout, exit, last answer). */
export async function waitUntilReady(url: string, options: WaitReadyOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastAnswer = 'no answer yet';
  let exitedWith: number | string | undefined;
  void options.child?.exited.then((code) => (exitedWith = code));

  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    if (exitedWith !== undefined) {
      throw new Error(
        `${options.what} exited (${exitedWith}) before ${url} was ready${lastLines(options.child)}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(attemptTimeoutMs) });
      if (response.status === 200) return;
      lastAnswer = `HTTP ${response.status} ${(await response.text()).slice(0, 200)}`;
    } catch (err) {
      lastAnswer =
        err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(
    `${options.what} was not ready within ${options.timeoutMs / 1000} s (${url}: ${lastAnswer})${lastLines(options.child)}`,
  );
}

function lastLines(child: ManagedChild | undefined): string {
  if (!child) return '';
  const lines = child.recentOutput().slice(-20);
  const shown = lines.length > 0 ? lines.join('\n') : '(it printed nothing)';
  return `\n--- last output of ${child.name} (full log: ${child.logFile}) ---\n${shown}`;
}
