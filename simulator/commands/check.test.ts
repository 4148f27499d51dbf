import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { alertChecks, checkLine, checkPrometheus, verdictLine, verdictOf } from './check.ts';

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

describe('check tells still resolving apart from broken', () => {
  const resolving = alertChecks(
    [
      {
        uid: 'high-error-rate',
        title: 'High error rate',
        state: 'Firing',
        instances: ['service=payment Firing'],
        verdict: 'resolving',
        secondsLeft: 33,
      },
      {
        uid: 'failed-logins',
        title: 'Failed logins',
        state: 'Firing',
        instances: ['Firing'],
        verdict: 'resolving',
        secondsLeft: 10,
      },
    ],
    'preview',
  );

  it('marks a resolving alert ⋯ with its time left, and the whole check as resolving (exit 8)', () => {
    expect(resolving.map(checkLine)).toEqual([
      '⋯ preview: high-error-rate Firing (service=payment Firing): still resolving (≈ 33 s left), nothing holds it up any more',
      '⋯ preview: failed-logins Firing: still resolving (≈ 10 s left), nothing holds it up any more',
    ]);
    const results = [{ ok: true, label: 'api ready' }, ...resolving];
    expect(verdictOf(results)).toBe('resolving');
    expect(verdictLine(results)).toBe(
      'Still resolving: every alert Normal in ≈ 33 s at most (shopfast-sim check --wait waits for it).',
    );
  });

  it('is broken (exit 5) when anything failed, resolving alerts or not', () => {
    const held = alertChecks(
      [
        {
          uid: 'failed-logins',
          title: 'Failed logins',
          state: 'Firing',
          instances: ['Firing'],
          verdict: 'held',
          heldBy: '7 failed logins in the last 5 minutes',
          clears: 'the failed-login streak',
        },
      ],
      'grafana',
    );
    expect(held.map(checkLine)).toEqual([
      '✗ failed-logins Firing: 7 failed logins in the last 5 minutes — shopfast-sim reset clears the failed-login streak; then shopfast-sim check --wait',
    ]);
    expect(verdictOf([...resolving, ...held])).toBe('failed');
    expect(verdictLine([...resolving, ...held])).toBe('1 check(s) failed.');
  });

  it('is ready when every rule is Normal', () => {
    const results = alertChecks([], 'grafana');
    expect(results.map(checkLine)).toEqual(['✓ no alert firing or pending']);
    expect(verdictOf(results)).toBe('ready');
  });
});
