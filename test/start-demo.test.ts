// start-demo.sh, with stand-in `docker` commands: without a usable Docker it says why in one line and
// runs the native runner, which comes up and stops again on Ctrl-C; with Docker it starts the stack,
// shows progress and prints where to look, or names the ports that are taken. Also shellcheck,
// usage errors and the .env it writes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePorts } from '../scripts/native/ports.ts';

const root = join(import.meta.dirname, '..');
const script = join(root, 'start-demo.sh');
const bash = spawnSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();
const scratch = mkdtempSync(join(tmpdir(), 'start-demo-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A folder holding only the named executables (symlinks to the real ones), to use as PATH. */
function pathWith(folder: string, tools: string[]): string {
  const dir = join(scratch, folder);
  mkdirSync(dir, { recursive: true });
  for (const tool of tools) {
    const real = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(real, join(dir, tool));
  }
  return dir;
}

/** A folder holding a `docker` made of these shell lines, to put first on PATH. */
function fakeDocker(folder: string, lines: string[]): string {
  const dir = join(scratch, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'docker'), ['#!/bin/sh', ...lines].join('\n'));
  chmodSync(join(dir, 'docker'), 0o755);
  return dir;
}

/** A `docker` whose CLI and Compose plugin work but whose daemon is down, like Docker Desktop not started. */
function dockerWithoutDaemon(): string {
  return fakeDocker('docker-no-daemon', [
    'if [ "$1 $2" = "compose version" ]; then echo "Docker Compose version v2.29.7"; exit 0; fi',
    'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2',
    'exit 1',
  ]);
}

/** SIGKILL whatever is left of the process group (nothing, when the test passed). */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Polls until no process of the group is left. */
async function groupGoneWithin(pid: number, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    try {
      process.kill(-pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/**
 * A working `docker` that records its calls and plays a stack coming up: Grafana reports `starting`
 * on the first `compose ps --all`, `healthy` afterwards.
 */
function scriptedDocker(log: string): string {
  return fakeDocker('docker-scripted', [
    `echo "$*" >> '${log}'`,
    'case "$*" in',
    '  "compose version") echo "Docker Compose version v2.29.7" ;;',
    '  info | "compose ps -q" | "compose up -d --build --remove-orphans") ;;',
    '  "compose ps --all"*)',
    `    if [ "$(grep -c '^compose ps --all' '${log}')" -lt 2 ]; then state=starting; else state=healthy; fi`,
    '    printf "postgres running healthy\\napi running healthy\\ngrafana running %s\\n" "$state" ;;',
    '  *) echo "unexpected docker call: $*" >&2; exit 99 ;;',
    'esac',
  ]);
}

/** A copy of start-demo.sh in its own folder with the given .env (the script works where it lies). */
function demoFolder(name: string, env: Record<string, string | number>): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(script, join(dir, 'start-demo.sh'));
  writeFileSync(
    join(dir, '.env'),
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  return dir;
}

/** Every host port setting of the stack, on ports free right now, so the machine's own use does not matter. */
async function freeHostPorts(): Promise<Record<string, number>> {
  const names = ['API_PORT', 'FRONTEND_PORT', 'PAYMENT_PORT', 'INVENTORY_PORT', 'GRAFANA_PORT'];
  const more = ['PROMETHEUS_PORT', 'LOKI_PORT', 'POSTGRES_PORT'];
  const ports = await freePorts(names.length + more.length);
  return Object.fromEntries([...names, ...more].map((name, i) => [name, ports[i]!]));
}

function runScript(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(bash, [script, ...args], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
}

/** Resolves with the output once `text` appears in it; rejects if the process exits first or time runs out. */
function waitForOutput(child: ChildProcess, text: string, timeoutMs: number, output: () => string) {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "${text}" within ${timeoutMs} ms:\n${output()}`)),
      timeoutMs,
    );
    const check = () => {
      if (!output().includes(text)) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before printing "${text}":\n${output()}`));
    });
  });
}

describe('start-demo.sh', () => {
  it('passes shellcheck', () => {
    const result = spawnSync('shellcheck', ['--shell=bash', script], { encoding: 'utf8' });
    expect(result.error, 'shellcheck is not installed').toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('rejects an unknown option with the usage and exit code 2', () => {
    const result = runScript(['--frobnicate'], process.env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown option '--frobnicate'");
    expect(result.stderr).toContain('Usage: ./start-demo.sh');
  });

  it('says in one line that Docker is not installed when there is nothing to stop', () => {
    const result = runScript(['--down'], { PATH: pathWith('no-docker', ['dirname']), HOME: scratch });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'start-demo: Docker is not installed: there is no Docker stack to down (the native runner stops with Ctrl-C)',
    ]);
  });

  describe('the .env it writes', () => {
    const secretNames = [
      'ADMIN_TOKEN',
      'ALERT_WEBHOOK_SECRET',
      'GRAFANA_DB_PASSWORD',
      'GRAFANA_PASSWORD',
      'POSTGRES_PASSWORD',
    ];
    /** Sources the script's functions into a throwaway folder holding `existing` as .env (if given). */
    function ensureEnvFile(folder: string, existing?: string) {
      const copy = join(scratch, folder);
      mkdirSync(copy, { recursive: true });
      const functions = readFileSync(script, 'utf8').replace(/^main "\$@"$/m, '');
      writeFileSync(join(copy, 'start-demo.sh'), functions);
      if (existing !== undefined) writeFileSync(join(copy, '.env'), existing, { mode: 0o644 });
      return () =>
        spawnSync(bash, ['-c', 'source ./start-demo.sh && ensure_env_file && cat .env && stat -c %a .env'], {
          cwd: copy,
          encoding: 'utf8',
        });
    }
    const settingsOf = (stdout: string) =>
      [...stdout.matchAll(/^(\w+)=(.*)$/gm)].map(([, name, value]) => [name!, value!] as const);

    it('writes every secret compose requires, random and owner-only, only when there is no .env', () => {
      const run = ensureEnvFile('env-new');
      const first = run();
      expect(first.status, first.stderr).toBe(0);
      const secrets = settingsOf(first.stdout);
      expect(secrets.map(([name]) => name).sort()).toEqual(secretNames);
      for (const [name, value] of secrets) expect(value, name).toMatch(/^[0-9a-f]{32}$/);
      expect(new Set(secrets.map(([, value]) => value)).size).toBe(secretNames.length);
      expect(first.stdout.trim().endsWith('600')).toBe(true);
      const second = run();
      expect(second.stdout).not.toContain('Wrote random secrets');
      expect(second.stdout).toBe(first.stdout.replace(/^Wrote.*\n/m, ''));
    });

    it('keeps the settings of an existing .env and adds only the secrets it lacks or leaves empty', () => {
      const run = ensureEnvFile(
        'env-old',
        'API_PORT=9000\nADMIN_TOKEN=\nPOSTGRES_PASSWORD=kept-password-1\n',
      );
      const result = run();
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain(
        'Wrote random secrets into .env (kept for the next runs): ADMIN_TOKEN ALERT_WEBHOOK_SECRET GRAFANA_PASSWORD GRAFANA_DB_PASSWORD',
      );
      const settings = settingsOf(result.stdout);
      expect(settings.map(([name]) => name).sort()).toEqual([...secretNames, 'API_PORT'].sort());
      expect(Object.fromEntries(settings)).toMatchObject({
        API_PORT: '9000',
        POSTGRES_PASSWORD: 'kept-password-1',
      });
      expect(Object.fromEntries(settings).ADMIN_TOKEN).toMatch(/^[0-9a-f]{32}$/);
      expect(result.stdout.trim().endsWith('600')).toBe(true);
    });

    it('covers exactly the secrets docker-compose.yml requires', () => {
      const compose = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
      const required = new Set([...compose.matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]));
      expect([...required].sort()).toEqual(secretNames);
    });
  });

  it('with Docker: builds, starts, shows progress until every service is healthy, then the URLs and credentials', async () => {
    const log = join(scratch, 'docker-calls.log');
    const ports = await freeHostPorts();
    const dir = demoFolder('with-docker', {
      ...ports,
      GRAFANA_PASSWORD: 'grafana-secret-1',
      ADMIN_TOKEN: 'token-1234',
    });
    const result = spawnSync(bash, ['start-demo.sh'], {
      cwd: dir,
      env: { ...process.env, PATH: `${scriptedDocker(log)}:${process.env.PATH}` },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(readFileSync(log, 'utf8')).toContain('compose up -d --build --remove-orphans');
    expect(result.stdout).toContain('2/3 services healthy (waiting for: grafana)');
    expect(result.stdout).toContain('3/3 services healthy');
    expect(result.stdout).toContain(
      `Grafana       http://localhost:${ports.GRAFANA_PORT}   (sign in: admin / grafana-secret-1;`,
    );
    expect(result.stdout).toContain(`Status page   http://localhost:${ports.FRONTEND_PORT}/status`);
    expect(result.stdout).toContain('npx shopfast-sim check');
  });

  it('with Docker: names each taken port and what holds it, and starts nothing', async () => {
    const log = join(scratch, 'docker-calls-busy.log');
    const ports = await freeHostPorts();
    const holder = createServer().listen(ports.GRAFANA_PORT, '127.0.0.1');
    await new Promise((resolve) => holder.once('listening', resolve));
    try {
      const dir = demoFolder('busy-port', ports);
      const result = spawnSync(bash, ['start-demo.sh'], {
        cwd: dir,
        env: { ...process.env, PATH: `${scriptedDocker(log)}:${process.env.PATH}` },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `port ${ports.GRAFANA_PORT} \\(grafana\\) is taken by (node \\(pid ${process.pid}\\)|a process)`,
        ),
      );
      expect(result.stderr).toContain('set GRAFANA_PORT=<free port> in .env');
      expect(result.stderr).toContain('start-demo: ports needed by the stack are taken (see above)');
      expect(readFileSync(log, 'utf8')).not.toContain('compose up');
    } finally {
      holder.close();
    }
  });

  it('falls back to the native runner when the Docker daemon is down, which stops on Ctrl-C', async () => {
    const stackFile = join(scratch, 'stack.json');
    const child = spawn(bash, [script, '--', '--random-ports', '--stack-file', stackFile], {
      cwd: root,
      env: { ...process.env, PATH: `${dockerWithoutDaemon()}:${process.env.PATH}` },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the test can send Ctrl-C's SIGINT to the whole group as a terminal does.
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitForOutput(child, 'Press Ctrl-C to stop everything.', 120_000, () => output);
      expect(output.split('\n')[0]).toBe(
        "Docker cannot be used: the Docker daemon is not running ('docker info' failed). " +
          'Starting the native runner instead (Ctrl-C stops it).',
      );
      const frontend = /^\s+frontend\s+(http:\/\/\S+)$/m.exec(output)?.[1];
      expect(frontend, output).toBeDefined();
      expect((await fetch(`${frontend}/health`)).status).toBe(200);

      process.kill(-child.pid!, 'SIGINT');
      const code = await Promise.race([
        exited,
        new Promise((r) => setTimeout(() => r('still running'), 30_000)),
      ]);
      expect(code, output).toBe(0);
      expect(output).toContain('stopped; throwaway data removed');
      expect(await groupGoneWithin(child.pid!, 10_000), 'processes of the native runner outlived it').toBe(
        true,
      );
      await expect(fetch(`${frontend}/health`)).rejects.toThrow();
    } finally {
      killGroup(child.pid!);
    }
  }, 180_000);
});
