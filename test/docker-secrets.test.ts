// The Docker stack's secrets without Docker: docker/stack-secrets.sh (the one-shot `secrets`
// service) run with sh on a temporary folder as its volume, and docker/secret-files-env.sh, which
// turns the files into the variables Grafana, PostgreSQL's init script and the simulator read.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const stackSecrets = join(root, 'docker/stack-secrets.sh');
const secretFilesEnv = join(root, 'docker/secret-files-env.sh');
const scratch = mkdtempSync(join(tmpdir(), 'docker-secrets-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const secretNames = /^secret_names="([^"]*)"$/m.exec(readFileSync(stackSecrets, 'utf8'))![1]!.split(' ');
let volumes = 0;

/** Runs the secrets service's script on `volume` (a new folder unless given) with only `env` set. */
function makeSecrets(env: Record<string, string> = {}, volume = join(scratch, `volume-${++volumes}`)) {
  const result = spawnSync('sh', [stackSecrets, volume], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  const printed = Object.fromEntries(
    [...result.stdout.matchAll(/^([A-Z_]+)=(.*)$/gm)].map(([, name, value]) => [name!, value!]),
  );
  const kept = (name: string) => readFileSync(join(volume, name), 'utf8');
  return { volume, stdout: result.stdout, printed, kept };
}

describe('docker/stack-secrets.sh', () => {
  it('makes every secret random (128 bits as hex), different from each other, and prints them', () => {
    const { printed, kept } = makeSecrets();
    expect(Object.keys(printed)).toEqual(secretNames);
    expect(secretNames).toEqual([
      'ADMIN_TOKEN',
      'ALERT_WEBHOOK_SECRET',
      'GRAFANA_PASSWORD',
      'POSTGRES_PASSWORD',
      'GRAFANA_DB_PASSWORD',
    ]);
    for (const name of secretNames) {
      expect(printed[name], name).toMatch(/^[0-9a-f]{32}$/);
      expect(kept(name), name).toBe(printed[name]);
    }
    expect(new Set(Object.values(printed)).size).toBe(secretNames.length);
  });

  it('makes other secrets for another stack', () => {
    const first = makeSecrets().printed;
    const second = makeSecrets().printed;
    for (const name of secretNames) expect(second[name], name).not.toBe(first[name]);
  });

  it('keeps them for the next start of the same stack', () => {
    const first = makeSecrets();
    const again = makeSecrets({}, first.volume);
    expect(again.printed).toEqual(first.printed);
  });

  it('takes a secret set in the environment (.env, through compose) over the kept one, and keeps it', () => {
    const first = makeSecrets();
    const given = makeSecrets({ GRAFANA_PASSWORD: 'chosen-password-1', ADMIN_TOKEN: '' }, first.volume);
    expect(given.printed.GRAFANA_PASSWORD).toBe('chosen-password-1');
    expect(given.printed.ADMIN_TOKEN).toBe(first.printed.ADMIN_TOKEN);
    expect(makeSecrets({}, first.volume).printed.GRAFANA_PASSWORD).toBe('chosen-password-1');
  });

  it("writes the services' DATABASE_URL with PostgreSQL's password, every file readable by the containers' users", () => {
    const { printed, kept, volume } = makeSecrets();
    expect(kept('DATABASE_URL')).toBe(
      `postgres://shopfast:${printed.POSTGRES_PASSWORD}@postgres:5432/shopfast`,
    );
    for (const name of [...secretNames, 'DATABASE_URL']) {
      expect(statSync(join(volume, name)).mode & 0o777, name).toBe(0o644);
    }
  });

  it("says where to sign in to Grafana with its password, on .env's ports", () => {
    const { stdout, printed } = makeSecrets({ GRAFANA_PORT: '3300', FRONTEND_PORT: '8181' });
    expect(stdout).toContain(`Grafana: http://localhost:3300 (sign in: admin / ${printed.GRAFANA_PASSWORD})`);
    expect(stdout).toContain('Shop: http://localhost:8181, status page: http://localhost:8181/status');
  });
});

describe('docker/secret-files-env.sh', () => {
  /** Runs `sh -c script` through the wrapper with only `env` set. */
  function withSecretFiles(env: Record<string, string>, script: string) {
    return spawnSync('sh', [secretFilesEnv, 'sh', '-c', script], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
    });
  }
  const file = (name: string, content: string) => {
    writeFileSync(join(scratch, name), content);
    return join(scratch, name);
  };

  it('reads each <NAME>_FILE into NAME for the command it runs, and unsets <NAME>_FILE', () => {
    const result = withSecretFiles(
      {
        GRAFANA_DB_PASSWORD_FILE: file('db', 'db-password-1\n'),
        ALERT_WEBHOOK_SECRET_FILE: file('hook', 'hook-1'),
      },
      'echo "$GRAFANA_DB_PASSWORD $ALERT_WEBHOOK_SECRET ${GRAFANA_DB_PASSWORD_FILE-unset}"',
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('db-password-1 hook-1 unset\n');
  });

  it("leaves Grafana's own GF_…__FILE settings to Grafana", () => {
    const path = file('admin', 'admin-password-1');
    const result = withSecretFiles(
      { GF_SECURITY_ADMIN_PASSWORD__FILE: path },
      'echo "${GF_SECURITY_ADMIN_PASSWORD__FILE} ${GF_SECURITY_ADMIN_PASSWORD_-unset}"',
    );
    expect(result.stdout).toBe(`${path} unset\n`);
  });

  it('refuses NAME and NAME_FILE both set, and a file it cannot read, running nothing', () => {
    const both = withSecretFiles(
      { ADMIN_TOKEN: 'token-1', ADMIN_TOKEN_FILE: file('token', 'token-2') },
      'echo ran',
    );
    expect(both.status).toBe(64);
    expect(both.stderr).toBe('secret-files-env: both ADMIN_TOKEN and ADMIN_TOKEN_FILE are set: set one\n');
    const missing = withSecretFiles({ ADMIN_TOKEN_FILE: join(scratch, 'missing') }, 'echo ran');
    expect(missing.status).toBe(66);
    expect(missing.stderr).toContain('ADMIN_TOKEN_FILE names');
    expect(both.stdout + missing.stdout).toBe('');
  });
});
