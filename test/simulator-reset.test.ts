import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { cliEnv } from '../harness/cli-env.ts';
import { runCliInProcess } from '../harness/cli-in-process.ts';
import { adminHeaders } from './support/stack.ts';

// `reset` on the native stack: it says what it cleared, the status page's incidents included,
// and --keep-incidents leaves them.

const stack = inject('stack');
const env = cliEnv(stack);
const firing = readFileSync(
  new URL('../services/frontend/fixtures/webhook-firing.json', import.meta.url),
  'utf8',
);
const firingCount = (JSON.parse(firing) as { alerts: unknown[] }).alerts.length;

async function incidents(): Promise<unknown[]> {
  const response = await fetch(`${stack.urls.frontend}/api/incidents`);
  return ((await response.json()) as { incidents: unknown[] }).incidents;
}

afterAll(async () => {
  await runCliInProcess(['reset'], env);
});

describe('shopfast-sim reset', () => {
  it("clears the status page's incidents unless --keep-incidents, and counts what it cleared", async () => {
    const webhook = await fetch(`${stack.urls.frontend}/api/alerts/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-secret': stack.webhookSecret },
      body: firing,
    });
    expect(webhook.status).toBe(200);
    await fetch(`${stack.urls.payment}/admin/faults`, {
      method: 'PUT',
      headers: { ...adminHeaders(stack), 'content-type': 'application/json' },
      body: JSON.stringify({ gatewayFailureRate: 0.5, ttlSeconds: 60 }),
    });

    const kept = await runCliInProcess(['reset', '--keep-incidents'], env);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toContain(
      '✓ faults cleared on api, frontend, payment, inventory (were in force: payment gatewayFailureRate)',
    );
    expect(kept.stdout).toContain('· status page incidents kept (--keep-incidents)');
    expect(await incidents()).toHaveLength(firingCount);

    const cleared = await runCliInProcess(['reset'], env);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout).toContain('(none were in force)');
    expect(cleared.stdout).toContain(`✓ status page incidents cleared (${firingCount} open, 0 resolved)`);
    expect(await incidents()).toEqual([]);
  });
});
