import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTargets } from '../simulator/clients/targets.ts';
import { nativeStackTargets, unreachableUrl } from '../scripts/native/simulator-targets.ts';
import type { StackInfo } from '../scripts/native/stack.ts';
import { cliEnv, envWithoutTargets } from './cli-env.ts';

// A working directory with no .native/stack.json and no .env: only the flags and variables decide.
const emptyDir = mkdtempSync(join(tmpdir(), 'cli-env-'));
afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

const stack = {
  databaseUrl: 'postgres://shopfast:secret@127.0.0.1:25432/shopfast',
  adminToken: 'admin-token-123',
  webhookSecret: 'webhook-secret-123',
  urls: {
    api: 'http://127.0.0.1:21080',
    frontend: 'http://127.0.0.1:21081',
    payment: 'http://127.0.0.1:21082',
    inventory: 'http://127.0.0.1:21083',
  },
  prometheusUrl: 'http://127.0.0.1:29090',
  alertmanagerUrl: null,
  lokiUrl: null,
  lokiStandIn: false,
  postgres: null,
} satisfies StackInfo;

describe('cliEnv', () => {
  it('points the CLI where the same targets given as flags would', () => {
    const fromEnv = resolveTargets({}, cliEnv(stack), emptyDir);
    const fromFlags = resolveTargets(nativeStackTargets(stack), envWithoutTargets(), emptyDir);
    expect({ ...fromEnv, adminTokenSource: '--admin-token' }).toEqual(fromFlags);
    expect(fromEnv).toMatchObject({
      services: stack.urls,
      prometheusUrl: stack.prometheusUrl,
      lokiUrl: unreachableUrl,
      grafanaUrl: unreachableUrl,
      databaseUrl: stack.databaseUrl,
      adminToken: stack.adminToken,
      adminTokenSource: 'ADMIN_TOKEN',
    });
  });

  it('sets or removes the variables it is given', () => {
    const env = cliEnv(stack, { GRAFANA_URL: 'http://127.0.0.1:23000', ADMIN_TOKEN: undefined });
    expect(env.GRAFANA_URL).toBe('http://127.0.0.1:23000');
    expect(env).not.toHaveProperty('ADMIN_TOKEN');
  });
});
