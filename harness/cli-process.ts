import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliOutput, type CliOutcome, type CliRun } from './cli-output.ts';

/**
 * The CLI as a child process (`bin.js`, as `npx shopfast-sim` runs it), for what only a process
 * shows: signals, the process's exit code, a run measured from outside. Parsing, usage errors and
 * most runs against a stack are tested in-process (cli-in-process.ts), without the start-up cost.
 */

const binPath = fileURLToPath(new URL('../simulator/bin.js', import.meta.url));

export interface CliProcess extends CliRun {
  child: ChildProcess;
}

/** Starts the CLI in a working directory of its own: no .native/stack.json, and no .env unless given. */
export function spawnCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 90_000,
  dotEnv?: string,
): CliProcess {
  const cwd = mkdtempSync(join(tmpdir(), 'shopfast-sim-'));
  if (dotEnv !== undefined) writeFileSync(join(cwd, '.env'), dotEnv);
  const child = spawn(process.execPath, [binPath, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = new CliOutput();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output.addStdout(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.addStderr(chunk));
  // A hung CLI must not hang the suite.
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<CliOutcome>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      rmSync(cwd, { recursive: true, force: true });
      resolve(output.end(code));
    });
  });
  return { child, exited, waitForEvent: (match, waitMs) => output.waitForEvent(match, waitMs) };
}

export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 90_000,
  dotEnv?: string,
): Promise<CliOutcome> {
  return spawnCli(args, env, timeoutMs, dotEnv).exited;
}
