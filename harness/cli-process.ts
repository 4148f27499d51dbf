import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackInfo } from '../scripts/native/stack.ts';

/** The CLI as a child process against a running stack, for the integration tests. */

const binPath = fileURLToPath(new URL('../simulator/bin.js', import.meta.url));
/** Nothing listens on the discard port: "Grafana not reachable" at once. */
export const unreachableUrl = 'http://127.0.0.1:9';

const targetVariables = [
  'SHOPFAST_API_URL',
  'SHOPFAST_FRONTEND_URL',
  'SHOPFAST_PAYMENT_URL',
  'SHOPFAST_INVENTORY_URL',
  'PROMETHEUS_URL',
  'LOKI_URL',
  'GRAFANA_URL',
  'DATABASE_URL',
  'GRAFANA_USER',
  'GRAFANA_PASSWORD',
  'ADMIN_TOKEN',
];

/** This process's environment without any variable that names a target: the CLI's own defaults and files decide. */
export function envWithoutTargets(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of targetVariables) delete env[name];
  return env;
}

/** The environment that points the CLI at the stack (and at no Grafana). */
export function cliEnv(
  stack: StackInfo,
  overrides: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  const env = envWithoutTargets();
  Object.assign(env, {
    SHOPFAST_API_URL: stack.urls.api,
    SHOPFAST_FRONTEND_URL: stack.urls.frontend,
    SHOPFAST_PAYMENT_URL: stack.urls.payment,
    SHOPFAST_INVENTORY_URL: stack.urls.inventory,
    PROMETHEUS_URL: stack.prometheusUrl ?? unreachableUrl,
    LOKI_URL: stack.lokiUrl ?? unreachableUrl,
    GRAFANA_URL: unreachableUrl,
    DATABASE_URL: stack.databaseUrl,
    ADMIN_TOKEN: stack.adminToken,
  });
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout lines that are JSON objects (the --json events). */
  events: Record<string, unknown>[];
  /** When each event was read (epoch ms), in the order of events: the runs' time windows. */
  receivedAt: number[];
}

export interface CliProcess {
  child: ChildProcess;
  /** Resolves with the first --json event that matches, or rejects after timeoutMs. */
  waitForEvent(
    match: (event: Record<string, unknown>) => boolean,
    timeoutMs: number,
  ): Promise<Record<string, unknown>>;
  exited: Promise<CliOutcome>;
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
  let stdout = '';
  let stderr = '';
  const events: Record<string, unknown>[] = [];
  const receivedAt: number[] = [];
  const listeners = new Set<(event: Record<string, unknown>) => void>();
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const event = parseEvent(line);
      if (!event) continue;
      events.push(event);
      receivedAt.push(Date.now());
      for (const listener of listeners) listener(event);
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  // A hung CLI must not hang the suite.
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<CliOutcome>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, stdout, stderr, events, receivedAt });
    });
  });
  return {
    child,
    exited,
    waitForEvent: (match, waitMs) =>
      new Promise((resolve, reject) => {
        const seen = events.find(match);
        if (seen) return resolve(seen);
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`no matching event within ${waitMs} ms; stderr: ${stderr.slice(-500)}`));
        }, waitMs);
        const listener = (event: Record<string, unknown>) => {
          if (!match(event)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(event);
        };
        listeners.add(listener);
        void exited.then(() => {
          if (!listeners.has(listener)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          reject(new Error(`the CLI exited before a matching event; stderr: ${stderr.slice(-500)}`));
        });
      }),
  };
}

export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 90_000,
  dotEnv?: string,
): Promise<CliOutcome> {
  return spawnCli(args, env, timeoutMs, dotEnv).exited;
}

function parseEvent(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
