import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { grafanaEnvironment, interpolateCompose } from './grafana-environment.ts';

const composeFile = fileURLToPath(new URL('../../docker-compose.yml', import.meta.url));

describe('interpolateCompose', () => {
  it.each([
    ['${A}', { A: 'x' }, 'x'],
    ['${A}', {}, ''],
    ['$A/b', { A: 'x' }, 'x/b'],
    ['${A:-d}', {}, 'd'],
    ['${A:-d}', { A: '' }, 'd'],
    ['${A-d}', { A: '' }, ''],
    ['${A-d}', {}, 'd'],
    ['${A:?set A}', { A: 'x' }, 'x'],
    ['${A:?set A}', {}, ''],
    ['cost $$5', {}, 'cost $5'],
  ])('%s with %j is "%s"', (text, env, expected) => {
    expect(interpolateCompose(text, env)).toBe(expected);
  });
});

describe("the Docker stack's Grafana environment", () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('passes SLACK_WEBHOOK_URL through, from .env or the shell (the shell wins)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'grafana-env-'));
    dirs.push(dir);
    const dotEnv = join(dir, '.env');
    await writeFile(dotEnv, 'SLACK_WEBHOOK_URL=https://hooks.slack.com/services/from-dotenv\n');
    expect(grafanaEnvironment(composeFile, dotEnv, {}).SLACK_WEBHOOK_URL).toBe(
      'https://hooks.slack.com/services/from-dotenv',
    );
    expect(
      grafanaEnvironment(composeFile, dotEnv, { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/shell' })
        .SLACK_WEBHOOK_URL,
    ).toBe('https://hooks.slack.com/services/shell');
    expect(grafanaEnvironment(composeFile, join(dir, 'missing.env'), {}).SLACK_WEBHOOK_URL).toBe('');
  });

  it('gives Grafana the secrets its provisioning files read', () => {
    const env = grafanaEnvironment(composeFile, '/nonexistent/.env', {
      ALERT_WEBHOOK_SECRET: 'webhook-secret-1',
      POSTGRES_PASSWORD: 'pg-password-1',
    });
    expect(env.ALERT_WEBHOOK_SECRET).toBe('webhook-secret-1');
    expect(Object.keys(env)).toContain('GF_UNIFIED_ALERTING_DISABLE_JITTER');
    // Unset, the stack's secrets service makes one: never empty for Grafana.
    expect(grafanaEnvironment(composeFile, '/nonexistent/.env', {}).GRAFANA_DB_PASSWORD).toBe(
      '(made by the secrets service: GRAFANA_DB_PASSWORD)',
    );
  });
});
