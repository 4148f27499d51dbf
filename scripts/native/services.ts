import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, type ManagedChild, type OutputMode } from './child-process.ts';
import { repoRoot } from './paths.ts';
import { waitUntilReady } from './wait-ready.ts';
import type { ServiceName } from '../../domain/services.ts';

export type { ServiceName };

export interface ServiceLaunch {
  name: ServiceName;
  /** Everything the service reads besides inherited variables such as PATH (PORT is added here). */
  env: Record<string, string>;
  port: number;
  fromDist: boolean;
  output: OutputMode;
  logDir: string;
}

export interface RunningService {
  name: ServiceName;
  url: string;
  child: ManagedChild;
}

const readyTimeoutMs = 60_000;

/** `node --import tsx services/<name>/main.ts`, or the compiled `dist/services/<name>/main.js`. */
export function serviceCommandArgs(name: ServiceName, fromDist: boolean): string[] {
  if (!fromDist) return ['--import', 'tsx', join('services', name, 'main.ts')];
  const compiled = join('dist', 'services', name, 'main.js');
  if (!existsSync(join(repoRoot, compiled))) {
    throw new Error(`${compiled} is missing: run \`npm run build\` first, or start without --from-dist`);
  }
  return [compiled];
}

/** Spawns the service (not yet ready: see waitForService). */
export function spawnService(launch: ServiceLaunch): RunningService {
  const child = startChild({
    name: launch.name,
    command: process.execPath,
    args: serviceCommandArgs(launch.name, launch.fromDist),
    cwd: repoRoot,
    env: { ...process.env, ...launch.env, PORT: String(launch.port) },
    output: launch.output,
    logFile: join(launch.logDir, `${launch.name}.log`),
  });
  return { name: launch.name, url: `http://127.0.0.1:${launch.port}`, child };
}

/** Resolves once GET /ready answers 200; fails early if the service exits, quoting its last output. */
export function waitForService(service: RunningService, signal?: AbortSignal): Promise<void> {
  return waitUntilReady(`${service.url}/ready`, {
    what: service.name,
    timeoutMs: readyTimeoutMs,
    child: service.child,
    signal,
  });
}
