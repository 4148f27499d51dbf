import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPrometheus } from './check.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A Prometheus stand-in answering /api/v1/targets with these targets. */
async function prometheusWith(targets: { service?: string; job: string; health: string }[]): Promise<string> {
  server = createServer((_req, res) => {
    const activeTargets = targets.map(({ service, job, health }) => ({
      health,
      labels: { job, ...(service ? { service } : {}) },
    }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data: { activeTargets } }));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

const service = (name: string, health = 'up') => ({ service: name, job: name, health });

describe('checkPrometheus', () => {
  it('passes when each of the four services has a target that is up', async () => {
    const url = await prometheusWith([
      ...['api', 'frontend', 'payment', 'inventory'].map((name) => service(name)),
      { job: 'prometheus', health: 'up' },
    ]);
    expect(await checkPrometheus(url)).toEqual({
      ok: true,
      label: 'Prometheus scrapes 4/4 services (all up)',
    });
  });

  it("fails when only Prometheus's own target is up", async () => {
    const url = await prometheusWith([{ job: 'prometheus', health: 'up' }]);
    const result = await checkPrometheus(url);
    expect(result.ok).toBe(false);
    expect(result.label).toBe(
      'Prometheus scrapes 0/4 services: api has no target, frontend has no target, payment has no target, inventory has no target',
    );
    expect(result.fix).toMatch(/prometheus\/prometheus\.yml/);
  });

  it('names the service that is down', async () => {
    const url = await prometheusWith([
      service('api'),
      service('frontend'),
      service('payment', 'down'),
      service('inventory'),
    ]);
    const result = await checkPrometheus(url);
    expect(result).toMatchObject({ ok: false, label: 'Prometheus scrapes 3/4 services: payment is down' });
    expect(result.fix).toMatch(/start the stack/);
  });
});
