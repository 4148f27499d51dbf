import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Where a child's output goes besides its log file: prefixed onto our stdout, or nowhere. */
export type OutputMode = 'inherit' | 'quiet';

export interface ChildOptions {
  /** Short name used as the line prefix and in error messages. */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  output: OutputMode;
  /** Full output is appended here. */
  logFile: string;
}

export interface ManagedChild {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** True until the process exits. */
  isRunning(): boolean;
  /** The last lines it printed (stdout and stderr interleaved), for error messages. */
  recentOutput(): string[];
  /** SIGTERM, then SIGKILL after graceMs; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const keptLines = 200;
const pipeDrainMs = 1_000;

/**
 * Spawns a long-running child in its own process group, so a Ctrl-C in the terminal reaches only
 * the runner, which then stops the children in order (services before the database they use).
 */
export function startChild(options: ChildOptions): ManagedChild {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid === undefined) {
    // spawn reports ENOENT and friends asynchronously through 'error'; the pid is missing exactly then.
    child.once('error', () => {});
    throw new Error(`could not start ${options.name}: ${options.command} ${options.args.join(' ')}`);
  }
  const pid = child.pid;
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const recent: string[] = [];
  const record = (line: string): void => {
    recent.push(line);
    if (recent.length > keptLines) recent.shift();
    log.write(line + '\n');
    if (options.output === 'inherit') process.stdout.write(`[${options.name}] ${line}\n`);
  };
  const streamsDone = Promise.all([forwardLines(child.stdout, record), forwardLines(child.stderr, record)]);

  let running = true;
  const processExited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (err) => {
      record(`${options.name}: ${err.message}`);
      running = false;
      resolve('error');
    });
  });
  // 'exit' can come before the last lines are read (a crash's stack trace is what an error message
  // needs): wait for the pipes too, but not for ever, in case something else holds them open.
  const exited = processExited.then(async (code) => {
    await Promise.race([streamsDone, new Promise((resolve) => setTimeout(resolve, pipeDrainMs))]);
    return code;
  });
  void Promise.all([exited, streamsDone]).then(() => closeLog(log));

  return {
    name: options.name,
    pid,
    logFile: options.logFile,
    exited,
    isRunning: () => running,
    recentOutput: () => [...recent],
    stop: (graceMs = 10_000) => stopChild(child, exited, () => running, graceMs),
  };
}

function forwardLines(stream: Readable | null, onLine: (line: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', onLine);
  return new Promise((resolve) => lines.once('close', resolve));
}

function closeLog(log: WriteStream): Promise<void> {
  return new Promise((resolve) => log.end(resolve));
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<unknown>,
  isRunning: () => boolean,
  graceMs: number,
): Promise<void> {
  if (!isRunning()) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    // The whole group: a service that spawned helpers must not leave them behind.
    if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
  }, graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Signals a process group, ignoring a group that is already gone. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left to signal.
  }
}
