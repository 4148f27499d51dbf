import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { killGroup } from '../scripts/native/child-process.ts';
import { freePorts } from '../scripts/native/ports.ts';
import { startPostgres, stopPostgres } from '../scripts/native/postgres.ts';
import { spawnService, waitForService, type RunningService } from '../scripts/native/services.ts';
import { adminHeaders, sql } from './support/stack.ts';

// A frontend of its own on the stack's PostgreSQL and api, restarted while an incident fires:
// the status page must still show it, although Grafana would not re-send it for hours.
const stack = inject('stack');
const db = sql(stack);
const logDir = mkdtempSync(join(tmpdir(), 'shopfast-incidents-'));
const firing = JSON.parse(
  readFileSync(new URL('../services/frontend/fixtures/webhook-firing.json', import.meta.url), 'utf8'),
) as { alerts: { fingerprint: string; status: string; endsAt: string }[] };
const apiAlert = '7d3f0c2a9b1e4c56';
const frontendAlert = 'a41c8e2f6b9d0375';

let running: RunningService | undefined;

/** Spawns the frontend on port (not yet ready); afterEach stops it. */
function spawnFrontend(port: number): RunningService {
  running = spawnService({
    name: 'frontend',
    env: {
      DATABASE_URL: stack.databaseUrl,
      API_URL: stack.urls.api,
      ADMIN_TOKEN: stack.adminToken,
      ALERT_WEBHOOK_SECRET: stack.webhookSecret,
      APP_ENV: 'incidents-test',
    },
    port,
    fromDist: false,
    output: 'quiet',
    logDir,
  });
  return running;
}

async function startFrontend(port: number): Promise<RunningService> {
  const service = spawnFrontend(port);
  await waitForService(service);
  return service;
}

/** SIGKILL: nothing may depend on a graceful shutdown writing anything. */
async function crash(service: RunningService): Promise<void> {
  killGroup(service.child.pid, 'SIGKILL');
  await service.child.exited;
}

async function postWebhook(service: RunningService, payload: unknown): Promise<void> {
  const response = await fetch(`${service.url}/api/alerts/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-secret': stack.webhookSecret },
    body: JSON.stringify(payload),
  });
  expect(response.status, await response.text()).toBe(200);
}

async function incidentsOf(service: RunningService) {
  const response = await fetch(`${service.url}/api/incidents`);
  return (
    (await response.json()) as {
      incidents: { fingerprint: string; status: string; since: string; notices: { receiver: string }[] }[];
    }
  ).incidents;
}

afterEach(async () => {
  await running?.child.stop();
  running = undefined;
});
afterAll(async () => {
  await db`DELETE FROM status_incidents`;
  await db.end();
  rmSync(logDir, { recursive: true, force: true });
});

describe('incidents across a frontend restart', () => {
  it('still shows what fires, and what was resolved, after the frontend is killed and started again', async () => {
    const [port] = (await freePorts(1)) as [number];
    const first = await startFrontend(port);
    await fetch(`${first.url}/admin/incidents/reset`, { method: 'POST', headers: adminHeaders(stack) });
    await postWebhook(first, firing);
    const resolvedFrontend = {
      ...firing,
      alerts: [{ ...firing.alerts[1]!, status: 'resolved', endsAt: new Date().toISOString() }],
    };
    await postWebhook(first, resolvedFrontend);
    const before = await incidentsOf(first);
    // Who was told comes back too: the api's firing, the frontend's firing and resolved.
    expect(before.map((incident) => incident.notices.map((notice) => notice.receiver))).toEqual([
      ['shop-webhook'],
      ['shop-webhook', 'shop-webhook'],
    ]);
    await crash(first);

    const second = await startFrontend(port);
    expect(second.child.pid).not.toBe(first.child.pid);
    expect(await incidentsOf(second)).toEqual(before);
    const page = await (await fetch(`${second.url}/status`)).text();
    expect(page).toContain(`data-fingerprint="${apiAlert}" data-status="firing"`);
    expect(page).toContain(`data-fingerprint="${frontendAlert}" data-status="resolved"`);
    expect(page).toContain('High error rate');
    expect(page).toContain('Incident in progress');
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).toMatch(/^incidents_open\{[^}]*\} 1$/m);
  });

  it('stays cleared after a reset and a restart', async () => {
    const [port] = (await freePorts(1)) as [number];
    const first = await startFrontend(port);
    await postWebhook(first, firing);
    const reset = await fetch(`${first.url}/admin/incidents/reset`, {
      method: 'POST',
      headers: adminHeaders(stack),
    });
    expect(reset.status).toBe(200);
    await crash(first);
    const second = await startFrontend(port);
    expect(await incidentsOf(second)).toEqual([]);
  });

  // Only the runner's own PostgreSQL can be stopped; with DATABASE_URL the stack does not own it.
  it.skipIf(stack.postgres === null)(
    'comes up with the kept incidents when PostgreSQL was down at start-up, once it is back',
    async () => {
      const [port] = (await freePorts(1)) as [number];
      const first = await startFrontend(port);
      await postWebhook(first, firing);
      await crash(first);
      await stopPostgres(stack.postgres!);
      let second: RunningService;
      try {
        second = spawnFrontend(port);
        // Alive, but not ready while the kept incidents are missing from its page.
        await expect
          .poll(
            () =>
              fetch(`${second.url}/health`).then(
                (r) => r.status,
                () => 0,
              ),
            { timeout: 20_000 },
          )
          .toBe(200);
        const ready = await fetch(`${second.url}/ready`);
        expect(ready.status).toBe(503);
        expect(((await ready.json()) as { checks: Record<string, string> }).checks.incidents).toMatch(
          /incidents not read from PostgreSQL yet/,
        );
      } finally {
        await startPostgres(stack.postgres!);
      }
      await waitForService(second);
      expect((await incidentsOf(second)).filter((i) => i.status === 'firing')).toHaveLength(2);
    },
    60_000,
  );
});
