import type { TestProject } from 'vitest/node';
import type { StackInfo } from '../scripts/native/stack.ts';
import { startTurnKeeper } from './support/stack-turn.ts';
import { startTestStack } from './support/test-stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The project's shared native stack: PostgreSQL, the four services, Prometheus (1 s scrapes), Alertmanager. */
    stack: StackInfo;
    /** The runner's Loki stand-in (see test/support/loki.ts), or null when LOKI_URL names a real Loki. */
    lokiRecorderUrl: string | null;
    /** Where the files of the shared stack take their turns (test/support/stack-turn.ts). */
    stackTurnPort: number;
  }
}

/**
 * Starts the stack a project's files share (the `stack` and `alerts-stack` projects each have one),
 * and the keeper of their turns on it. Tests read the stack with inject('stack').
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startTestStack(project.name);
  const turns = await startTurnKeeper();
  project.provide('stack', stack.info);
  project.provide('lokiRecorderUrl', stack.lokiRecorderUrl);
  project.provide('stackTurnPort', turns.port);
  return async () => {
    await turns.close();
    await stack.stop();
  };
}
