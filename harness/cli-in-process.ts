import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { runCommandLine } from '../simulator/cli.ts';
import { CliOutput, type CliOutcome, type CliRun } from './cli-output.ts';

/**
 * The CLI as a function call in the test's own process: `runCommandLine` with the given
 * environment, in a working directory of its own (no .native/stack.json, and no .env unless given),
 * its stdout and stderr captured. What a child process would print and exit with, without the
 * second or more a process needs to start. One run at a time: stdout and the environment are the
 * process's own.
 */

let running = false;

/** Sets process.env to exactly `env`; returns what undoes it. */
function swapEnvironment(env: NodeJS.ProcessEnv): () => void {
  const saved = { ...process.env };
  const replaceWith = (next: NodeJS.ProcessEnv) => {
    for (const name of Object.keys(process.env)) if (!(name in next)) delete process.env[name];
    Object.assign(process.env, next);
  };
  replaceWith(env);
  return () => replaceWith(saved);
}

export function startCliInProcess(args: string[], env: NodeJS.ProcessEnv, dotEnv?: string): CliRun {
  if (running) throw new Error('one in-process CLI run at a time: they share stdout and the environment');
  running = true;
  const output = new CliOutput();
  const cwd = mkdtempSync(join(tmpdir(), 'shopfast-sim-'));
  if (dotEnv !== undefined) writeFileSync(join(cwd, '.env'), dotEnv);
  const previousCwd = process.cwd();
  process.chdir(cwd);
  const restoreEnv = swapEnvironment(env);
  const capture = (stream: NodeJS.WriteStream, add: (chunk: string) => void) =>
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      add(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    });
  const stdout = capture(process.stdout, (chunk) => output.addStdout(chunk));
  const stderr = capture(process.stderr, (chunk) => output.addStderr(chunk));
  const exited = runCommandLine(['node', 'shopfast-sim', ...args]).then(
    (code) => code,
    (error: unknown) => {
      output.addStderr(`runCommandLine threw: ${error instanceof Error ? error.stack : String(error)}\n`);
      return null;
    },
  );
  return {
    waitForEvent: (match, timeoutMs) => output.waitForEvent(match, timeoutMs),
    exited: exited.then((code) => {
      stdout.mockRestore();
      stderr.mockRestore();
      restoreEnv();
      process.chdir(previousCwd);
      rmSync(cwd, { recursive: true, force: true });
      running = false;
      return output.end(code);
    }),
  };
}

export function runCliInProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  dotEnv?: string,
): Promise<CliOutcome> {
  return startCliInProcess(args, env, dotEnv).exited;
}
