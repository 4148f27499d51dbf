// start-demo.sh, with stand-in `docker` (and `uname`) commands: without a usable Docker it shows
// Docker's error and the fix in one line, and on Linux runs the native runner, which comes up and
// stops again on Ctrl-C; with Docker it checks Compose's version, Docker's memory and the database
// volume before starting, shows progress and prints where to look, names the ports that are taken,
// and stops early on a container that ran out of memory or keeps restarting. Also bash 3.2,
// shellcheck, LF line endings, usage errors and the .env it writes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
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
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { freePorts } from '../scripts/native/ports.ts';
import { requiredNodeVersion } from '../simulator/node-version.js';
import { anchoredSection, quotesCause, scriptStops } from './support/script-stops.ts';

const root = join(import.meta.dirname, '..');
const script = join(root, 'start-demo.sh');
const requiredNode = requiredNodeVersion();
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

/** A `uname` answering -s and -r as the named system would, to put first on PATH. */
function fakeUname(folder: string, system: string, release: string): string {
  const dir = join(scratch, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'uname'),
    `#!/bin/sh\ncase "$1" in -r) echo '${release}' ;; *) echo '${system}' ;; esac\n`,
  );
  chmodSync(join(dir, 'uname'), 0o755);
  return dir;
}

const mebibyte = 1024 * 1024;
/** `260m` / `1g` → bytes, as `docker compose config --format json` prints mem_limit. */
const bytesOf = (limit: string) =>
  Number(/^\d+/.exec(limit)![0]) * mebibyte * (limit.toLowerCase().endsWith('g') ? 1024 : 1);
/** The services `docker compose up` starts (no profile) with their memory limits, from docker-compose.yml. */
const composeServices = Object.entries(
  (
    parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { mem_limit?: string; profiles?: string[] }>;
    }
  ).services,
).filter(([, service]) => !service.profiles);
const stackMemoryLimit = composeServices.reduce(
  (sum, [, service]) => sum + (service.mem_limit ? bytesOf(service.mem_limit) : 0),
  0,
);
/** What `docker compose config --format json` prints of those services (indented, limits as strings). */
const composeConfigJson = join(scratch, 'compose-config.json');
writeFileSync(
  composeConfigJson,
  JSON.stringify(
    {
      name: 'shopfast',
      services: Object.fromEntries(
        composeServices.map(([name, service]) => [
          name,
          service.mem_limit ? { mem_limit: String(bytesOf(service.mem_limit)) } : {},
        ]),
      ),
    },
    null,
    2,
  ),
);

/** What start-demo.sh asks `docker compose ps` for. */
const psCall = 'compose ps --all --format {{.Service}} {{.Name}} {{.State}} {{.ExitCode}} {{.Health}}';

/** The real secrets script of the stack, which the stand-in `docker compose run secrets` runs. */
const stackSecrets = join(root, 'docker/stack-secrets.sh');

/**
 * A working `docker` that records its calls (one line each in `log`) and plays a stack coming up:
 * the one-shot `secrets` has exited, Grafana reports `starting` on the first `compose ps --all`,
 * `healthy` afterwards. Compose 2.29.7, 16 GiB for containers. Volumes are folders under
 * `volumes/` of the working directory: `up` makes the database's, `down -v` removes them, and
 * `compose run secrets` runs docker/stack-secrets.sh on the secrets volume with .env's values, as
 * compose passes them. `arms` are case arms tried before those defaults.
 */
function scriptedDocker(folder: string, log: string, arms: string[] = []): string {
  return fakeDocker(folder, [
    `echo "$*" >> '${log}'`,
    'case "$*" in',
    ...arms.map((arm) => `  ${arm}`),
    '  "compose version") echo "Docker Compose version v2.29.7" ;;',
    '  "compose version --short") echo "2.29.7" ;;',
    '  "info --format {{.MemTotal}}") echo 17179869184 ;;',
    `  "compose config --format json") cat '${composeConfigJson}' ;;`,
    '  "volume inspect "*)',
    '    if [ -d "volumes/$3" ]; then echo "[{\\"Name\\": \\"$3\\"}]"; exit 0; fi',
    '    echo "Error response from daemon: get $3: no such volume" >&2; exit 1 ;;',
    '  "compose run --rm --no-deps -T secrets")',
    '    mkdir -p volumes/shopfast_secrets',
    `    set -a; if [ -f .env ]; then . ./.env; fi; set +a; exec sh '${stackSecrets}' volumes/shopfast_secrets ;;`,
    '  "compose up -d --build --remove-orphans") mkdir -p volumes/shopfast_postgres-data ;;',
    '  "compose down -v --remove-orphans") rm -rf volumes ;;',
    '  info | "compose ps -q") ;;',
    `  "${psCall}")`,
    `    if [ "$(grep -c '^compose ps --all' '${log}')" -lt 2 ]; then state=starting; else state=healthy; fi`,
    '    printf "secrets shopfast-secrets-1 exited 0 \\npostgres shopfast-postgres-1 running 0 healthy\\n"',
    '    printf "api shopfast-api-1 running 0 healthy\\ngrafana shopfast-grafana-1 running 0 %s\\n" "$state" ;;',
    '  *) echo "unexpected docker call: $*" >&2; exit 99 ;;',
    'esac',
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

/** A copy of start-demo.sh in a fresh folder with the given .env, or none (the script works where it lies). */
function demoFolder(name: string, env?: Record<string, string | number>): string {
  const dir = join(scratch, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(script, join(dir, 'start-demo.sh'));
  // What the script reads of the repository: the Node.js minimum and its check.
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  mkdirSync(join(dir, 'simulator'));
  copyFileSync(join(root, 'simulator/node-version.js'), join(dir, 'simulator/node-version.js'));
  if (env) {
    writeFileSync(
      join(dir, '.env'),
      Object.entries(env)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
  }
  return dir;
}

/** Runs the copy of start-demo.sh in `dir` with these folders first on PATH. */
function runDemo(dir: string, pathFirst: string[], args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(bash, ['start-demo.sh', ...args], {
    cwd: dir,
    env: { ...process.env, ...env, PATH: [...pathFirst, process.env.PATH].join(':') },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

/** Runs one function of start-demo.sh (sourced, without its main) with these folders first on PATH. */
function sourcedFunction(name: string, pathFirst: string[]) {
  const functions = join(scratch, 'start-demo-functions.sh');
  writeFileSync(functions, readFileSync(script, 'utf8').replace(/^main "\$@"$/m, ''));
  return spawnSync(bash, ['-c', `source '${functions}' && ${name}`], {
    cwd: root,
    env: { ...process.env, PATH: [...pathFirst, process.env.PATH].join(':') },
    encoding: 'utf8',
  });
}

/**
 * How start-demo.sh stopped: the lines it printed on stderr before its stop, the stop's message and
 * the TROUBLESHOOTING.md anchor its last line names ("explained in TROUBLESHOOTING.md#<anchor>").
 */
function stopOf(result: { stderr: string }) {
  const lines = result.stderr.trim().split('\n');
  const anchor = /^start-demo: explained in TROUBLESHOOTING\.md#([a-z0-9-]+)$/.exec(lines.at(-1)!)?.[1];
  return { before: lines.slice(0, -2), message: lines.at(-2), anchor };
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
  describe('runs everywhere it is cloned', () => {
    /** Tracked files that start with a shebang: the scripts Git must not give CRLF line endings. */
    const scripts = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
      .stdout.split('\0')
      .filter((path) => path && existsSync(join(root, path)))
      .filter((path) => readFileSync(join(root, path)).subarray(0, 2).toString() === '#!');
    const shellScripts = scripts.filter((path) =>
      /^#!\S*(\/|env )(ba)?sh\b/.test(readFileSync(join(root, path), 'utf8')),
    );
    const shellcheckMissing = spawnSync('shellcheck', ['--version']).error !== undefined;

    it('finds the scripts it checks', () => {
      expect(shellScripts).toContain('start-demo.sh');
      expect(scripts).toContain('simulator/bin.js');
    });

    it('keeps every script LF on checkout, whatever core.autocrlf says (.gitattributes)', () => {
      const result = spawnSync('git', ['check-attr', 'eol', '--', ...scripts], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout.trim().split('\n').sort()).toEqual(
        scripts.map((path) => `${path}: eol: lf`).sort(),
      );
    });

    it('uses nothing newer than bash 3.2 (macOS) in start-demo.sh', () => {
      const code = readFileSync(script, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*#/.test(line));
      const newer: [string, RegExp][] = [
        ['mapfile', /\bmapfile\b/],
        ['readarray', /\breadarray\b/],
        ['declare -A / local -A', /\b(declare|local|typeset)\s+-\w*A/],
        ['declare -n / local -n', /\b(declare|local|typeset)\s+-\w*n/],
        ['${x,,} / ${x^^}', /\$\{[^}]*(,,?|\^\^?)\}/],
        ['${x@Q}', /\$\{[^}]*@[QEPAa]\}/],
        ['&>>', /&>>/],
        ['|&', /\|&/],
        ['coproc', /\bcoproc\b/],
        [';& / ;;&', /;;?&/],
        ['wait -n', /\bwait\s+-n\b/],
        ['$EPOCHSECONDS', /EPOCH(SECONDS|REALTIME)/],
      ];
      const found = newer.flatMap(([name, pattern]) =>
        code.filter((line) => pattern.test(line)).map((line) => `${name}: ${line.trim()}`),
      );
      expect(found).toEqual([]);
    });

    it.skipIf(shellcheckMissing && !process.env.CI)(
      'passes shellcheck, every shell script of the repository',
      () => {
        const result = spawnSync('shellcheck', shellScripts, { cwd: root, encoding: 'utf8' });
        expect(
          result.error,
          'shellcheck is not installed (scripts/ensure-test-deps.sh installs it)',
        ).toBeUndefined();
        expect(result.stdout + result.stderr).toBe('');
        expect(result.status).toBe(0);
      },
    );
    if (shellcheckMissing && !process.env.CI) {
      console.warn(
        'start-demo.test.ts: shellcheck is not installed, skipped (npm test installs it: scripts/ensure-test-deps.sh)',
      );
    }
  });

  describe('every message it stops with, explained in TROUBLESHOOTING.md', () => {
    const source = readFileSync(script, 'utf8');
    const stops = scriptStops(source);
    const troubleshooting = readFileSync(join(root, 'TROUBLESHOOTING.md'), 'utf8');
    const code = source.split('\n').filter((line) => !/^\s*#/.test(line));

    it('stops only through die, every call with an anchor and a message the test can read', () => {
      expect(stops.length).toBeGreaterThanOrEqual(20);
      // Each line calling die or problem is one the reader understood.
      const callLines = code.filter((line) => /(^|[\s|&;(])(die|problem)[ \t]/.test(line));
      expect(callLines).toHaveLength(stops.length);
      // The only exit is die's own: no message can leave another way.
      const exits = code.filter((line) => /\bexit\b/.test(line) && !line.includes('process.exit'));
      expect(exits.map((line) => line.trim())).toEqual(['exit "$code"']);
    });

    it("quotes each stop's cause under its anchor", () => {
      const unexplained = stops
        .filter((stop) => !stop.anchor.startsWith('$'))
        .flatMap((stop) => {
          const section = anchoredSection(troubleshooting, stop.anchor);
          if (!section) return [`line ${stop.line}: no <a id="${stop.anchor}"> for "${stop.cause}"`];
          return quotesCause(section, stop.cause)
            ? []
            : [`line ${stop.line}: #${stop.anchor} does not quote "${stop.cause}"`];
        });
      expect(unexplained).toEqual([]);
      for (const stop of stops.filter((stop) => !stop.anchor.startsWith('$'))) {
        expect(stop.cause.replaceAll('…', '').length, `line ${stop.line}: "${stop.cause}"`).toBeGreaterThan(
          12,
        );
      }
    });

    it('stops for a Docker problem with the cause and anchor problem() names', () => {
      const derived = stops.filter((stop) => stop.anchor.startsWith('$'));
      expect(derived.map((stop) => stop.anchor)).toEqual(['$PROBLEM_ANCHOR', '$PROBLEM_ANCHOR']);
      for (const stop of derived) expect(stop.source.startsWith('$PROBLEM_CAUSE: ')).toBe(true);
      expect(stops.filter((stop) => stop.call === 'problem').map((stop) => stop.anchor)).toEqual([
        'docker-missing',
        'compose-missing',
        'docker-refused',
        'docker-not-running',
      ]);
    });

    it('explains under #start-demo-stops only what the script says', () => {
      const section = troubleshooting.slice(
        troubleshooting.indexOf('<a id="start-demo-stops">'),
        troubleshooting.indexOf('\n## ', troubleshooting.indexOf('<a id="start-demo-stops">')),
      );
      const entries = [...section.matchAll(/<a id="([a-z0-9-]+)"><\/a>\s+####/g)].map((m) => m[1]!);
      expect(entries.length).toBeGreaterThanOrEqual(15);
      const used = new Set(stops.map((stop) => stop.anchor));
      expect(entries.filter((anchor) => !used.has(anchor))).toEqual([]);
    });

    it('fails on a message the document does not quote, or an anchor it lacks (the check can fail)', () => {
      const stop = scriptStops('die docker-memory "Docker has $free MiB, too little: give it more"\n')[0]!;
      expect(stop.cause).toBe('Docker has … MiB, too little');
      expect(quotesCause(anchoredSection(troubleshooting, 'docker-memory')!, stop.cause)).toBe(false);
      expect(anchoredSection(troubleshooting, 'no-such-stop')).toBeUndefined();
      const quoted = scriptStops('X=21\ndie a "needs $X or newer (found ${v}): update"\n')[0]!;
      expect(quoted.cause).toBe('needs 21 or newer (found …)');
      expect(quotesCause('Say `needs 21 or newer (found 2.20.3)`.', quoted.cause)).toBe(true);
    });
  });

  it('rejects an unknown option with the usage and exit code 2', () => {
    const result = runScript(['--frobnicate'], process.env);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^start-demo: unknown option '--frobnicate'\nUsage: \.\/start-demo\.sh/);
    expect(stopOf(result).anchor).toBe('usage');
  });

  it('says in one line that Docker is not installed when there is nothing to stop or follow', () => {
    const path = pathWith('no-docker', ['dirname']);
    const down = runScript(['--down'], { PATH: path, HOME: scratch });
    expect(down.status).toBe(1);
    expect(stopOf(down)).toEqual({
      before: [],
      message:
        'start-demo: Docker is not installed: there is no Docker stack to stop (the native runner stops with Ctrl-C)',
      anchor: 'docker-missing',
    });
    const logs = runScript(['--logs'], { PATH: path, HOME: scratch });
    expect(stopOf(logs).message).toBe(
      'start-demo: Docker is not installed: there is no Docker stack to follow the logs of (the native runner stops with Ctrl-C)',
    );
  });

  describe('the .env it writes: the secrets the stack made', () => {
    const secretNames = [
      'ADMIN_TOKEN',
      'ALERT_WEBHOOK_SECRET',
      'GRAFANA_DB_PASSWORD',
      'GRAFANA_PASSWORD',
      'POSTGRES_PASSWORD',
    ];
    /**
     * Sources the script's functions into a throwaway folder holding `existing` as .env (if given),
     * with the stand-in `docker`; each call runs copy_stack_secrets_to_env and prints .env and its mode.
     */
    function copySecrets(folder: string, existing?: string, arms: string[] = []) {
      const copy = join(scratch, folder);
      mkdirSync(copy, { recursive: true });
      const functions = readFileSync(script, 'utf8').replace(/^main "\$@"$/m, '');
      writeFileSync(join(copy, 'start-demo.sh'), functions);
      if (existing !== undefined) writeFileSync(join(copy, '.env'), existing, { mode: 0o644 });
      const docker = scriptedDocker(`docker-${folder}`, join(scratch, `docker-calls-${folder}.log`), arms);
      return () =>
        spawnSync(
          bash,
          ['-c', 'source ./start-demo.sh && copy_stack_secrets_to_env && cat .env && stat -c %a .env'],
          { cwd: copy, env: { ...process.env, PATH: `${docker}:${process.env.PATH}` }, encoding: 'utf8' },
        );
    }
    const settingsOf = (stdout: string) =>
      [...stdout.matchAll(/^(\w+)=(.*)$/gm)].map(([, name, value]) => [name!, value!] as const);
    const keptIn = (folder: string, name: string) =>
      readFileSync(join(scratch, folder, 'volumes/shopfast_secrets', name), 'utf8');

    it('writes the secrets the stack made, random, different and owner-only; the next run changes nothing', () => {
      const run = copySecrets('env-new');
      const first = run();
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toContain(
        "Wrote the stack's secrets into .env (for the simulator; kept for the next runs):",
      );
      const secrets = settingsOf(first.stdout);
      expect(secrets.map(([name]) => name).sort()).toEqual(secretNames);
      for (const [name, value] of secrets) {
        expect(value, name).toMatch(/^[0-9a-f]{32}$/);
        expect(keptIn('env-new', name), name).toBe(value);
      }
      expect(new Set(secrets.map(([, value]) => value)).size).toBe(secretNames.length);
      expect(first.stdout.trim().endsWith('600')).toBe(true);
      const second = run();
      expect(second.stdout).not.toContain('Wrote');
      expect(second.stdout).toBe(first.stdout.replace(/^Wrote.*\n/m, ''));
    });

    it('keeps the settings of an existing .env and adds only the secrets it lacks or leaves empty', () => {
      const run = copySecrets('env-old', 'API_PORT=9000\nADMIN_TOKEN=\nPOSTGRES_PASSWORD=kept-password-1\n');
      const result = run();
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain(
        "Wrote the stack's secrets into .env (for the simulator; kept for the next runs): ADMIN_TOKEN " +
          'ALERT_WEBHOOK_SECRET GRAFANA_PASSWORD GRAFANA_DB_PASSWORD',
      );
      const settings = settingsOf(result.stdout);
      expect(settings.map(([name]) => name).sort()).toEqual([...secretNames, 'API_PORT'].sort());
      expect(Object.fromEntries(settings)).toMatchObject({
        API_PORT: '9000',
        POSTGRES_PASSWORD: 'kept-password-1',
      });
      // The stack took .env's value (compose passes it in).
      expect(keptIn('env-old', 'POSTGRES_PASSWORD')).toBe('kept-password-1');
      expect(Object.fromEntries(settings).ADMIN_TOKEN).toMatch(/^[0-9a-f]{32}$/);
      expect(result.stdout.trim().endsWith('600')).toBe(true);
    });

    it('after a plain `docker compose up`: copies the secrets the stack kept, not new ones', () => {
      const volume = join(scratch, 'env-after-compose', 'volumes/shopfast_secrets');
      mkdirSync(volume, { recursive: true });
      const made = spawnSync('sh', [stackSecrets, volume], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH },
      });
      expect(made.status, made.stderr).toBe(0);
      const result = copySecrets('env-after-compose')();
      expect(result.status, result.stderr).toBe(0);
      const settings = Object.fromEntries(settingsOf(result.stdout));
      for (const name of secretNames) expect(made.stdout, name).toContain(`${name}=${settings[name]}\n`);
    });

    it('stops, writing nothing, when the secrets service fails', () => {
      const run = copySecrets('env-secrets-fail', undefined, [
        '"compose run --rm --no-deps -T secrets") echo "Error: pull access denied for postgres" >&2; exit 1 ;;',
      ]);
      const result = run();
      expect(result.status).toBe(1);
      expect(stopOf(result)).toEqual({
        before: ['Error: pull access denied for postgres'],
        message:
          'start-demo: docker compose run secrets printed no secrets (its error is above): fix what it says, then ' +
          'run ./start-demo.sh again',
        anchor: 'secrets-failed',
      });
      expect(existsSync(join(scratch, 'env-secrets-fail', '.env'))).toBe(false);
    });
  });

  describe('without a Docker it can use', () => {
    /** `docker info` as Docker's CLI prints it for a user outside the docker group. */
    const permissionDenied = fakeDocker('docker-permission-denied', [
      'case "$*" in',
      '  "compose version"*) echo "Docker Compose version v2.29.7" ;;',
      '  info)',
      '    printf "Client:\\n Version:    27.3.1\\n\\nServer:\\n"',
      '    echo "ERROR: permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get \\"http://%2Fvar%2Frun%2Fdocker.sock/v1.47/info\\": dial unix /var/run/docker.sock: connect: permission denied"',
      '    echo "errors pretty printing info" >&2; exit 1 ;;',
      '  *) echo "unexpected docker call: $*" >&2; exit 99 ;;',
      'esac',
    ]);

    it('on macOS: shows Docker\'s "permission denied", the docker group fix and --native, and starts nothing', () => {
      const macos = fakeUname('uname-macos', 'Darwin', '23.6.0');
      const result = runDemo(demoFolder('permission-denied'), [permissionDenied, macos]);
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(stopOf(result)).toEqual({
        before: [],
        anchor: 'docker-refused',
        message:
          'start-demo: Docker refused this user (docker info: permission denied while trying to connect to the Docker ' +
          'daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.47/info": dial ' +
          'unix /var/run/docker.sock: connect: permission denied): add yourself to the docker group (sudo usermod ' +
          '-aG docker $USER), then log out and in again; or use Docker Desktop; or run without Docker: ' +
          `./start-demo.sh --native (needs Node.js ${requiredNode} or newer and PostgreSQL)`,
      });
    });

    it('on WSL and Git Bash: says the daemon is not running, how to start it, and does not fall back', () => {
      const wsl = fakeUname('uname-wsl', 'Linux', '5.15.167.4-microsoft-standard-WSL2');
      const wslRun = runDemo(demoFolder('no-daemon-wsl'), [dockerWithoutDaemon(), wsl]);
      expect(wslRun.status).toBe(1);
      expect(stopOf(wslRun)).toEqual({
        before: [],
        anchor: 'docker-not-running',
        message:
          'start-demo: the Docker daemon is not running (docker info: Cannot connect to the Docker daemon at ' +
          'unix:///var/run/docker.sock. Is the docker daemon running?): start Docker Desktop on Windows and turn on ' +
          'its WSL integration (Settings → Resources → WSL integration); or run without Docker: ./start-demo.sh ' +
          `--native (needs Node.js ${requiredNode} or newer and PostgreSQL)`,
      });
      const gitBash = fakeUname('uname-git-bash', 'MINGW64_NT-10.0-22631', '3.5.4-395fda67.x86_64');
      const gitBashRun = runDemo(demoFolder('no-daemon-git-bash'), [dockerWithoutDaemon(), gitBash]);
      expect(gitBashRun.status).toBe(1);
      expect(stopOf(gitBashRun)).toMatchObject({ before: [], anchor: 'docker-not-running' });
      expect(gitBashRun.stderr).toContain('start Docker Desktop and wait until it says it is running;');
      expect(gitBashRun.stdout).not.toContain('native runner');
    });

    it('stops before anything starts on Compose older than 2.21, and reads every way Compose spells its version', () => {
      const log = join(scratch, 'docker-calls-old-compose.log');
      const old = scriptedDocker('docker-compose-2.20', log, [
        '"compose version --short") echo "v2.20.3-desktop.1" ;;',
      ]);
      const result = runDemo(demoFolder('old-compose', {}), [old]);
      expect(result.status).toBe(1);
      expect(stopOf(result)).toEqual({
        before: [],
        anchor: 'old-compose',
        message:
          'start-demo: needs Docker Compose 2.21 or newer (found v2.20.3-desktop.1): update Docker Desktop, or the ' +
          'docker-compose-plugin package on Linux',
      });
      expect(readFileSync(log, 'utf8')).not.toMatch(/compose (up|config|down)|volume/);

      const verdicts = Object.fromEntries(
        [
          '2.21.0',
          'v2.21.0',
          '2.24.6-desktop.1',
          'v2.40.3',
          '3.0.0',
          '2.20.99',
          'v2.9.0',
          '1.29.2',
          'dev',
        ].map((version) => {
          const docker = fakeDocker(`docker-version-${version}`, [`echo "${version}"`]);
          const check = sourcedFunction('require_compose_version', [docker]);
          return [version, check.status === 0 ? (check.stderr ? 'warned' : 'ok') : 'refused'];
        }),
      );
      expect(verdicts).toEqual({
        '2.21.0': 'ok',
        'v2.21.0': 'ok',
        '2.24.6-desktop.1': 'ok',
        'v2.40.3': 'ok',
        '3.0.0': 'ok',
        '2.20.99': 'refused',
        'v2.9.0': 'refused',
        '1.29.2': 'refused',
        dev: 'warned',
      });
    });
  });

  describe('a database volume from an earlier run', () => {
    /** The stand-in docker's database volume (and the secrets volume, when asked) in `dir`. */
    function withVolumes(dir: string, volumes = ['shopfast_postgres-data']): string {
      for (const volume of volumes) mkdirSync(join(dir, 'volumes', volume), { recursive: true });
      return dir;
    }

    it("looks for the volume compose creates: the project's name and its database volume", () => {
      const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
        name: string;
        volumes: Record<string, unknown>;
        services: { postgres: { volumes: string[] } };
      };
      const volume = compose.services.postgres.volumes.find((v) => v.endsWith(':/var/lib/postgresql/data'));
      const named = volume!.split(':')[0]!;
      expect(Object.keys(compose.volumes)).toContain(named);
      expect(readFileSync(script, 'utf8')).toContain(`\nDATABASE_VOLUME=${compose.name}_${named}\n`);
      expect(Object.keys(compose.volumes)).toContain('secrets');
      expect(readFileSync(script, 'utf8')).toContain(`\nSECRETS_VOLUME=${compose.name}_secrets\n`);
    });

    it('with no .env: writes no password the volume would refuse, and names --reset and the old .env', () => {
      const log = join(scratch, 'docker-calls-volume.log');
      const dir = withVolumes(demoFolder('volume-no-env'));
      const result = runDemo(dir, [scriptedDocker('docker-with-volume', log)]);
      expect(result.status).toBe(1);
      expect(stopOf(result)).toEqual({
        before: [],
        anchor: 'volume-without-env',
        message:
          'start-demo: the database volume shopfast_postgres-data exists from an earlier run (of this or another ' +
          'clone) but there is no .env with its passwords, nor a volume shopfast_secrets: restore the .env that run ' +
          'wrote, or run ' +
          './start-demo.sh --reset to delete the old data and start fresh',
      });
      expect(existsSync(join(dir, '.env'))).toBe(false);
      expect(readFileSync(log, 'utf8')).not.toContain('compose up');
    });

    it('with a .env lacking one of its passwords: names it and leaves .env as it was', () => {
      const log = join(scratch, 'docker-calls-volume-partial.log');
      const dir = withVolumes(
        demoFolder('volume-partial-env', { POSTGRES_PASSWORD: 'old-password-1', API_PORT: 9000 }),
      );
      const result = runDemo(dir, [scriptedDocker('docker-with-volume-partial', log)]);
      expect(result.status).toBe(1);
      expect(stopOf(result)).toMatchObject({ before: [], anchor: 'volume-without-env' });
      expect(stopOf(result).message).toContain(
        'but .env has no GRAFANA_DB_PASSWORD, nor a volume shopfast_secrets: restore the .env',
      );
      expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(
        'POSTGRES_PASSWORD=old-password-1\nAPI_PORT=9000\n',
      );
    });

    it('with no .env but the secrets volume made with it: starts with the passwords that volume kept', async () => {
      const log = join(scratch, 'docker-calls-volume-and-secrets.log');
      const dir = withVolumes(demoFolder('volume-and-secrets', await freeHostPorts()), [
        'shopfast_postgres-data',
        'shopfast_secrets',
      ]);
      writeFileSync(join(dir, 'volumes/shopfast_secrets/POSTGRES_PASSWORD'), 'password-of-the-volume');
      const result = runDemo(dir, [scriptedDocker('docker-volume-and-secrets', log)]);
      expect(result.status, result.stderr).toBe(0);
      expect(readFileSync(join(dir, '.env'), 'utf8')).toMatch(/^POSTGRES_PASSWORD=password-of-the-volume$/m);
    });

    it('--reset with no .env: deletes the volumes, then starts with new secrets', async () => {
      const log = join(scratch, 'docker-calls-reset.log');
      const dir = withVolumes(demoFolder('volume-reset'));
      writeFileSync(
        join(dir, '.env'),
        Object.entries(await freeHostPorts())
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      );
      const result = runDemo(dir, [scriptedDocker('docker-reset', log)], ['--reset']);
      expect(result.status, result.stderr).toBe(0);
      const calls = readFileSync(log, 'utf8');
      expect(calls.indexOf('compose down -v --remove-orphans')).toBeGreaterThan(-1);
      expect(calls.indexOf('compose up')).toBeGreaterThan(calls.indexOf('compose down -v'));
      expect(readFileSync(join(dir, '.env'), 'utf8')).toMatch(/^POSTGRES_PASSWORD=[0-9a-f]{32}$/m);
    });

    it('--down with no .env: stops the stack and writes nothing', () => {
      const log = join(scratch, 'docker-calls-down.log');
      const docker = scriptedDocker('docker-down', log, ['"compose down --remove-orphans") ;;']);
      const dir = demoFolder('down-no-env');
      const result = runDemo(dir, [docker], ['--down']);
      expect(result.status, result.stderr).toBe(0);
      expect(readFileSync(log, 'utf8')).toContain('compose down --remove-orphans');
      expect(existsSync(join(dir, '.env'))).toBe(false);
    });
  });

  describe('memory', () => {
    it("stops before starting when Docker has less memory than the stack's limits add up to", async () => {
      const log = join(scratch, 'docker-calls-memory.log');
      const docker = scriptedDocker('docker-1g', log, ['"info --format {{.MemTotal}}") echo 1073741824 ;;']);
      const result = runDemo(demoFolder('small-docker', await freeHostPorts()), [docker]);
      expect(result.status).toBe(1);
      const total = stackMemoryLimit / mebibyte;
      expect(total).toBeGreaterThan(1024);
      expect(stopOf(result).anchor).toBe('docker-memory');
      expect(stopOf(result).message).toBe(
        `start-demo: Docker has 1024 MiB of memory, less than the ${total} MiB the stack's containers may use ` +
          `(mem_limit in docker-compose.yml): give Docker Desktop at least ${Math.ceil((total + 256) / 1024)} GB ` +
          '(Settings → Resources → Memory), or on Linux use a machine with more memory',
      );
      expect(readFileSync(log, 'utf8')).not.toContain('compose up');
    });

    /** A stack whose api container is `restarting`; `docker inspect` of it answers `inspect`. */
    function restartingApi(folder: string, log: string, inspect: string): string {
      return scriptedDocker(folder, log, [
        `"${psCall}")`,
        '  printf "postgres shopfast-postgres-1 running 0 healthy\\napi shopfast-api-1 restarting 1 \\n" ;;',
        `"inspect --format {{.State.OOMKilled}} {{.HostConfig.Memory}} {{.RestartCount}} shopfast-api-1") ${inspect} ;;`,
      ]);
    }

    it('stops at once on a container killed for memory, naming its limit and what to raise', async () => {
      const log = join(scratch, 'docker-calls-oom.log');
      const docker = restartingApi('docker-oom', log, 'echo "true 272629760 1"');
      const result = runDemo(demoFolder('oom', await freeHostPorts()), [docker]);
      expect(result.status).toBe(1);
      expect(stopOf(result).anchor).toBe('container-out-of-memory');
      expect(stopOf(result).message).toBe(
        "start-demo: api ran out of memory (killed at its 260 MiB limit): raise its mem_limit in docker-compose.yml, and Docker Desktop's memory (Settings → Resources) if the stack no longer fits",
      );
      expect(readFileSync(log, 'utf8').match(/^compose ps --all/gm)).toHaveLength(1);
    });

    it('stops on a container that keeps restarting for another reason, naming its logs', async () => {
      const log = join(scratch, 'docker-calls-restarts.log');
      // One more restart each time it is looked at: the third look reaches the limit.
      const docker = restartingApi(
        'docker-restarts',
        log,
        `echo "false 272629760 $(grep -c '^inspect' '${log}')"`,
      );
      const result = runDemo(demoFolder('restarts', await freeHostPorts()), [docker]);
      expect(result.status).toBe(1);
      expect(stopOf(result).anchor).toBe('container-restarting');
      expect(stopOf(result).message).toBe(
        "start-demo: api keeps restarting (3 restarts): see its logs with 'docker compose logs api'",
      );
      expect(result.stdout).toContain('1/2 services healthy (waiting for: api)');
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
      env: { ...process.env, PATH: `${scriptedDocker('docker-scripted', log)}:${process.env.PATH}` },
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
        env: { ...process.env, PATH: `${scriptedDocker('docker-scripted', log)}:${process.env.PATH}` },
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
      expect(stopOf(result)).toMatchObject({
        message: 'start-demo: ports needed by the stack are taken (see above)',
        anchor: 'ports-taken',
      });
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
        'Docker cannot be used: the Docker daemon is not running (docker info: Cannot connect to the Docker ' +
          'daemon at unix:///var/run/docker.sock. Is the docker daemon running?). Starting the native runner ' +
          'instead (Ctrl-C stops it).',
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
