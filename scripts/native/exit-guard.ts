/**
 * Last-resort cleanup for a process that exits without stopping the stack first: vitest answers
 * Ctrl-C with an immediate process.exit, a crash skips every finally. 'exit' handlers may only do
 * synchronous work, so these kill and delete rather than shut down politely.
 */
export interface ExitGuard {
  /** Adds a synchronous step; steps run last-added first. */
  add(step: () => void): void;
  /** The stack was stopped properly: nothing left to do at exit. */
  release(): void;
}

export function guardProcessExit(): ExitGuard {
  const steps: (() => void)[] = [];
  const runSteps = () => {
    for (const step of [...steps].reverse()) {
      try {
        step();
      } catch {
        // Keep going: the remaining steps matter more than one failure here.
      }
    }
  };
  process.once('exit', runSteps);
  return {
    add: (step) => void steps.push(step),
    release: () => void process.removeListener('exit', runSteps),
  };
}
