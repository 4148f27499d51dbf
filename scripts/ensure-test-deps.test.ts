// scripts/ensure-test-deps.sh (npm test's pretest) where it cannot install what the tests need: run
// with a PATH holding only symlinks to the few real commands it uses and stand-ins for the rest
// (uname, id, kubectl, apt-get, sudo, npm and the tools it looks for), so nothing is ever installed.
import { spawnSync } from 'node:child_process';
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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, 'ensure-test-deps.sh');
const scratch = mkdtempSync(join(tmpdir(), 'ensure-test-deps-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const realCommand = (name: string) =>
  spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
const bash = realCommand('bash');

interface Machine {
  /** What `uname -s` says. */
  system: 'Darwin' | 'Linux';
  /** What `id -u` says. */
  uid: number;
  /** Stand-ins that only answer: apt-get, sudo (runs what it is given), npm, prometheus, … */
  commands: string[];
  /** The minor version `kubectl version --client -o json` reports; none: no kubectl. */
  kubectlMinor?: number;
  /** PostgreSQL's server binaries present (in PG_BIN_DIR). */
  postgres: boolean;
}

/** Every stand-in appends its name and arguments to this file. */
const callLog = (dir: string) => join(dir, 'calls.log');

function standIn(bin: string, name: string, body: string, log: string): void {
  writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> '${log}'\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
}

/** Runs a copy of the script on the machine described, in a folder of its own. */
function runOn(name: string, machine: Machine) {
  const dir = join(scratch, name);
  const bin = join(dir, 'bin');
  const pgBin = join(dir, 'pg-bin');
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  mkdirSync(bin);
  mkdirSync(pgBin);
  copyFileSync(script, join(dir, 'scripts', 'ensure-test-deps.sh'));
  for (const tool of ['dirname', 'sed', 'head', 'env']) symlinkSync(realCommand(tool), join(bin, tool));
  const log = callLog(dir);
  writeFileSync(log, '');
  standIn(bin, 'uname', `echo ${machine.system}`, log);
  standIn(bin, 'id', `echo ${machine.uid}`, log);
  for (const command of machine.commands) standIn(bin, command, command === 'sudo' ? 'exec "$@"' : '', log);
  if (machine.kubectlMinor !== undefined) {
    const json = `{"clientVersion": {"major": "1", "minor": "${machine.kubectlMinor}"}}`;
    standIn(bin, 'kubectl', `echo '${json}'`, log);
  }
  if (machine.postgres) standIn(pgBin, 'initdb', '', log);
  const result = spawnSync(bash, [join(dir, 'scripts', 'ensure-test-deps.sh')], {
    cwd: dir,
    env: { PATH: bin, PG_BIN_DIR: pgBin, HOME: dir },
    encoding: 'utf8',
  });
  const calls = readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line && !/^(uname|id|kubectl) /.test(line));
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.trimEnd().split('\n'), calls };
}

const tools = ['prometheus', 'prometheus-alertmanager', 'amtool', 'shellcheck', 'chromium'];

describe('scripts/ensure-test-deps.sh, where it cannot install', () => {
  it('on macOS: names each missing tool, the tests that need it, and the Homebrew commands', () => {
    const result = runOn('macos', { system: 'Darwin', uid: 501, commands: ['npm'], postgres: false });
    expect(result.status).toBe(1);
    expect(result.stderr).toEqual([
      'Note: the browser tests launch /usr/bin/chromium, which macOS does not have: they fail here (they run on Linux and in CI).',
      'The tests need what this machine lacks:',
      "  - PostgreSQL's server (initdb, pg_ctl): every test under test/ (their native stack starts its own PostgreSQL)",
      '  - prometheus and promtool: the tests that query Prometheus or check with promtool',
      '  - Alertmanager and amtool: the notification tests (alertmanager/alertmanager.yml, routing, templates, delivery)',
      '  - shellcheck: the lint of the shell scripts (skipped outside CI)',
      "  - kubectl 1.27 or newer is needed (found: none): the Kubernetes tests render deploy/kubernetes with 'kubectl kustomize' (kustomize 5)",
      'Install it on macOS, with Homebrew (no apt-get here):',
      '  brew install postgresql@15 prometheus alertmanager shellcheck kubectl',
      '  export PG_BIN_DIR="$(brew --prefix postgresql@15)/bin"   # where the tests look for PostgreSQL',
      'Then run npm test again. (npx vitest run runs the tests without this check: those named above fail.)',
    ]);
    expect(result.calls).toEqual([]);
  });

  it('on macOS with everything installed: only the note on the browser tests, then npm ci', () => {
    const result = runOn('macos-ready', {
      system: 'Darwin',
      uid: 501,
      commands: ['npm', 'prometheus', 'alertmanager', 'amtool', 'shellcheck'],
      kubectlMinor: 31,
      postgres: true,
    });
    expect(result.status, result.stderr.join('\n')).toBe(0);
    expect(result.stderr).toHaveLength(1);
    expect(result.calls).toEqual(['npm ci --no-audit --no-fund']);
  });

  it('on Debian without root or sudo: the apt-get line to run as root, and apt-get never runs', () => {
    const result = runOn('debian-user', {
      system: 'Linux',
      uid: 1000,
      commands: ['apt-get', 'npm', 'prometheus', 'prometheus-alertmanager', 'amtool'],
      kubectlMinor: 32,
      postgres: true,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toEqual([
      'The tests need what this machine lacks:',
      '  - shellcheck: the lint of the shell scripts (skipped outside CI)',
      '  - chromium: the browser tests (they launch /usr/bin/chromium)',
      'Install it on Debian or Ubuntu (this script runs apt-get only as root or through sudo):',
      '  as root: apt-get install -y --no-install-recommends shellcheck chromium',
      'Then run npm test again. (npx vitest run runs the tests without this check: those named above fail.)',
    ]);
    expect(result.calls).toEqual([]);
  });

  it('on Debian without kubectl, or with one too old: where to get it, after installing the rest', () => {
    const missing = runOn('debian-root-no-kubectl', {
      system: 'Linux',
      uid: 0,
      commands: ['apt-get', 'npm', 'chromium'],
      postgres: true,
    });
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe(
      'Installing Debian packages the tests need: prometheus prometheus-alertmanager shellcheck\n',
    );
    expect(missing.calls).toEqual([
      'apt-get update -qq',
      'apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager shellcheck',
    ]);
    expect(missing.stderr.slice(1, 2)).toEqual([
      "  - kubectl 1.27 or newer is needed (found: none): the Kubernetes tests render deploy/kubernetes with 'kubectl kustomize' (kustomize 5)",
    ]);
    expect(missing.stderr.slice(2, 4)).toEqual([
      'Install it on Debian or Ubuntu (this script runs apt-get only as root or through sudo):',
      '  kubectl: https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/ (one binary to put on PATH)',
    ]);

    const old = runOn('debian-old-kubectl', {
      system: 'Linux',
      uid: 0,
      commands: ['apt-get', 'npm', ...tools],
      kubectlMinor: 20,
      postgres: true,
    });
    expect(old.status).toBe(1);
    expect(old.stderr[1]).toContain('kubectl 1.27 or newer is needed (found: 1.20)');
    expect(old.calls).toEqual([]);
  });

  it('on Debian as a user with sudo: installs through sudo', () => {
    const result = runOn('debian-sudo', {
      system: 'Linux',
      uid: 1000,
      commands: ['apt-get', 'sudo', 'npm', 'prometheus', 'prometheus-alertmanager', 'amtool', 'shellcheck'],
      kubectlMinor: 30,
      postgres: false,
    });
    expect(result.status, result.stderr.join('\n')).toBe(0);
    expect(result.calls).toEqual([
      'sudo apt-get update -qq',
      'apt-get update -qq',
      'sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql chromium',
      'apt-get install -y -qq --no-install-recommends postgresql chromium',
      'npm ci --no-audit --no-fund',
    ]);
  });

  it('on a Linux without apt-get: what to install, in words its own package manager understands', () => {
    const result = runOn('fedora', {
      system: 'Linux',
      uid: 0,
      commands: ['npm', 'chromium'],
      postgres: false,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.slice(-7)).toEqual([
      'Install it on this Linux (no apt-get here):',
      "  your distribution's PostgreSQL server, then export PG_BIN_DIR=<the folder holding initdb>",
      "  your distribution's prometheus package",
      "  your distribution's Alertmanager package (alertmanager and amtool)",
      "  your distribution's shellcheck package",
      '  kubectl: https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/ (one binary to put on PATH)',
      'Then run npm test again. (npx vitest run runs the tests without this check: those named above fail.)',
    ]);
    expect(result.calls).toEqual([]);
    expect(existsSync(join(scratch, 'fedora', 'node_modules'))).toBe(false);
  });
});
