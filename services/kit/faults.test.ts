import { afterEach, describe, expect, it } from 'vitest';
import { createServiceApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createKit, type ServiceKit } from './kit.ts';

const adminToken = 'test-admin-token';
const kits: ServiceKit[] = [];

function testApp(options: { adminToken?: string; withGatewayFaults?: boolean } = { adminToken }) {
  const env = { LOG_LEVEL: 'silent', ...(options.adminToken ? { ADMIN_TOKEN: options.adminToken } : {}) };
  const kit = createKit(loadConfig('payment', env), {
    withGatewayFaults: options.withGatewayFaults ?? false,
  });
  kits.push(kit);
  const app = createServiceApp(kit);
  app.get('/work', (c) => c.json({ ok: true }));
  const setFaults = (faults: Record<string, unknown>, token = adminToken) =>
    app.request('/admin/faults', {
      method: 'PUT',
      body: JSON.stringify(faults),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
  return { kit, app, setFaults };
}

afterEach(async () => {
  await Promise.all(kits.splice(0).map((kit) => kit.close()));
});

describe('fault admin API', () => {
  it('refuses requests without the admin token', async () => {
    const { app, setFaults } = testApp();
    expect((await app.request('/admin/faults')).status).toBe(401);
    const wrong = await setFaults({ errorRate: 1 }, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect((await app.request('/work')).status).toBe(200);
  });

  it('stays closed when no admin token is configured', async () => {
    const { app } = testApp({});
    const res = await app.request('/admin/faults', { headers: { authorization: 'Bearer ' } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('admin_disabled');
  });

  it.each([
    [{ errorRate: 1.5 }],
    [{ errorRate: -0.1 }],
    [{ latencyMs: 40_000 }],
    [{ latencyMs: 'slow' }],
    [{ gatewayFailureRate: 0.5 }],
    [{ somethingElse: 1 }],
  ])('rejects %j with a 400', async (faults) => {
    const res = await testApp().setFaults(faults);
    expect(res.status).toBe(400);
  });

  it('accepts the gateway fault on a service that has a gateway', async () => {
    const { setFaults } = testApp({ adminToken, withGatewayFaults: true });
    const res = await setFaults({ gatewayFailureRate: 0.5 });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { faults: { gatewayFailureRate: number } }).faults.gatewayFailureRate).toBe(
      0.5,
    );
  });

  it('shows switched-on faults as fault_active and clears them all on reset', async () => {
    const { app, setFaults } = testApp();
    await setFaults({ errorRate: 0.2, latencyMs: 5 });
    const metrics = async () => (await app.request('/metrics')).text();
    expect(await metrics()).toMatch(/^fault_active\{kind="errorRate",service="payment"\} 1$/m);
    expect(await metrics()).toMatch(/^fault_active\{kind="latencyMs",service="payment"\} 1$/m);
    const reset = await app.request('/admin/faults/reset', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(await reset.json()).toEqual({
      service: 'payment',
      faults: { errorRate: 0, latencyMs: 0, latencyJitterMs: 0, cpuBurn: 0 },
    });
    expect(await metrics()).toMatch(/^fault_active\{kind="errorRate",service="payment"\} 0$/m);
  });
});

describe('fault effects', () => {
  it('answers about the configured share of business requests with 500, never the platform routes', async () => {
    const { app, setFaults } = testApp();
    await setFaults({ errorRate: 0.3 });
    let failures = 0;
    for (let i = 0; i < 500; i++) {
      const res = await app.request('/work');
      if (res.status === 500) failures++;
    }
    // 500 draws at p = 0.3: mean 150, standard deviation ~10; ±40 is four deviations.
    expect(failures).toBeGreaterThan(110);
    expect(failures).toBeLessThan(190);
    for (let i = 0; i < 20; i++) expect((await app.request('/health')).status).toBe(200);
  });

  it('adds the configured latency with jitter', async () => {
    const { app, setFaults } = testApp();
    await setFaults({ latencyMs: 150, latencyJitterMs: 50 });
    const durations: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await app.request('/work');
      durations.push(performance.now() - started);
    }
    for (const d of durations) {
      expect(d).toBeGreaterThanOrEqual(148);
      expect(d).toBeLessThan(260);
    }
  });

  it('burns CPU in a worker while /metrics keeps answering quickly', async () => {
    const { app, setFaults } = testApp();
    await setFaults({ cpuBurn: 0.8 });
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    let slowestMetricsMs = 0;
    while (performance.now() - wallBefore < 2_000) {
      const started = performance.now();
      const res = await app.request('/metrics');
      await res.text();
      slowestMetricsMs = Math.max(slowestMetricsMs, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const cpu = process.cpuUsage(cpuBefore);
    const cores = (cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore);
    // Idle is ~0.05 core; the margin below 0.8 leaves room for other work on a busy 2-core machine.
    expect(cores).toBeGreaterThan(0.5);
    expect(slowestMetricsMs).toBeLessThan(100);

    await setFaults({ cpuBurn: 0 });
    const idleBefore = process.cpuUsage();
    const idleWall = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const idle = process.cpuUsage(idleBefore);
    expect((idle.user + idle.system) / 1000 / (performance.now() - idleWall)).toBeLessThan(0.3);
  });
});
