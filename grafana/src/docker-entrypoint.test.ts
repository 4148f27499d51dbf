import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertCatalog } from '../../domain/alerts.ts';
import { laptopShopUrl, runbookUrl } from './runbook.ts';

// grafana/docker-entrypoint.sh, run as the Grafana container runs it (with a command that prints
// what Grafana would be given instead of /run.sh), on the committed provisioning.

const repo = join(import.meta.dirname, '..', '..');
const script = join(repo, 'grafana', 'docker-entrypoint.sh');
const provisioning = join(repo, 'grafana', 'provisioning');
const tmpDirs: string[] = [];

afterAll(() => {
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

function freshTmp(): string {
  const tmp = mkdtempSync(join(tmpdir(), 'grafana-entrypoint-'));
  tmpDirs.push(tmp);
  return tmp;
}

function runEntrypoint(frontendPort: string | undefined, tmp = freshTmp()) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, TMPDIR: tmp, GF_PATHS_PROVISIONING: provisioning };
  if (frontendPort !== undefined) env.FRONTEND_PORT = frontendPort;
  const printsProvisioning = ['sh', '-c', 'printf %s "$GF_PATHS_PROVISIONING"'];
  const outcome = spawnSync('sh', [script, ...printsProvisioning], { env, encoding: 'utf8' });
  return { ...outcome, copy: join(tmp, 'shopfast-provisioning') };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

const runbookLinks = (rulesFile: string): Map<string, string> => {
  const rules = parse(readFileSync(rulesFile, 'utf8')) as {
    groups: { rules: { uid: string; annotations: { runbook_url: string } }[] }[];
  };
  return new Map(rules.groups.flatMap((g) => g.rules.map((r) => [r.uid, r.annotations.runbook_url])));
};

describe("Grafana's entrypoint on the Docker stack", () => {
  it('points every runbook link at FRONTEND_PORT and hands Grafana the copy', () => {
    const outcome = runEntrypoint('58081');
    expect(outcome.stderr).toBe('');
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toBe(outcome.copy);
    const links = runbookLinks(join(outcome.copy, 'alerting', 'rules.yaml'));
    expect([...links.keys()].sort()).toEqual(alertCatalog.map((alert) => alert.uid).sort());
    for (const alert of alertCatalog) {
      const committed = runbookUrl(alert.runbookAnchor);
      expect(committed).toContain(`{{ else }}${laptopShopUrl}{{ end }}`);
      expect(links.get(alert.uid), alert.uid).toBe(
        committed.replace(`{{ else }}${laptopShopUrl}`, '{{ else }}http://localhost:58081/'),
      );
    }
  });

  it('changes nothing else: the same files, the webhook still at http://frontend:8081', () => {
    const { copy } = runEntrypoint('58081');
    expect(filesUnder(copy)).toEqual(filesUnder(provisioning));
    for (const file of filesUnder(provisioning)) {
      const original = readFileSync(join(provisioning, file), 'utf8');
      const copied = readFileSync(join(copy, file), 'utf8');
      expect(copied.replaceAll('http://localhost:58081/', laptopShopUrl), file).toBe(original);
    }
    expect(readFileSync(join(copy, 'alerting', 'contact-points.yaml'), 'utf8')).toContain(
      'http://frontend:8081/api/alerts/webhook',
    );
  });

  it('keeps the committed files as they are without FRONTEND_PORT', () => {
    const { copy, status } = runEntrypoint(undefined);
    expect(status).toBe(0);
    for (const file of filesUnder(provisioning)) {
      expect(readFileSync(join(copy, file), 'utf8'), file).toBe(
        readFileSync(join(provisioning, file), 'utf8'),
      );
    }
  });

  it('starts from a fresh copy each time (a restarted container with a new .env)', () => {
    const tmp = freshTmp();
    const first = runEntrypoint('58081', tmp);
    mkdirSync(join(first.copy, 'stale'));
    writeFileSync(join(first.copy, 'stale', 'left-over.yaml'), 'apiVersion: 1\n');
    const again = runEntrypoint('59081', tmp);
    expect(again.status, again.stderr).toBe(0);
    expect(filesUnder(again.copy)).toEqual(filesUnder(provisioning));
    const rules = readFileSync(join(again.copy, 'alerting', 'rules.yaml'), 'utf8');
    expect(rules).toContain('http://localhost:59081/');
    expect(rules).not.toContain('http://localhost:58081/');
  });

  it('stops with the fix named when FRONTEND_PORT is not a port', () => {
    for (const bad of ['80a', '70000', '0', '08081']) {
      const outcome = runEntrypoint(bad);
      expect(outcome.status, bad).toBe(64);
      expect(outcome.stderr).toBe(
        `shopfast: FRONTEND_PORT=${bad} is not a port (a whole number 1-65535): fix it in .env\n`,
      );
      expect(outcome.stdout).toBe('');
    }
  });

  it('passes shellcheck as POSIX sh (the image runs busybox sh)', () => {
    const result = spawnSync('shellcheck', ['--shell=sh', script], { encoding: 'utf8' });
    expect(result.error, 'shellcheck is not installed').toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
