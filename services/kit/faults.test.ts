import { describe, expect, it, vi } from 'vitest';
import { testApp } from './testing/test-kit.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('faults that expire', () => {
  it('switches a fault set with a 3 s time to live off after 3 s, without any call', async () => {
    const { kit, setFaults, metricsText } = testApp();
    const setAt = Date.now();
    const res = await setFaults({ errorRate: 0.5, latencyMs: 20, ttlSeconds: 3 });
    const body = (await res.json()) as { expiresAt: Record<string, string> };
    for (const kind of ['errorRate', 'latencyMs']) {
      const at = Date.parse(body.expiresAt[kind]!);
      expect(at - setAt).toBeGreaterThanOrEqual(3_000);
      expect(at - setAt).toBeLessThan(3_500);
    }
    expect(await metricsText()).toMatch(/^fault_active\{kind="errorRate",service="api"\} 1$/m);

    await sleep(2_500);
    expect(kit.faults.value('errorRate')).toBe(0.5);
    await sleep(1_000);
    expect(kit.faults.report()).toEqual({
      service: 'api',
      faults: { errorRate: 0, latencyMs: 0, latencyJitterMs: 0, cpuBurn: 0 },
      expiresAt: {},
    });
    const metrics = await metricsText();
    expect(metrics).toMatch(/^fault_active\{kind="errorRate",service="api"\} 0$/m);
    expect(metrics).toMatch(/^fault_expiry_timestamp_seconds\{kind="errorRate",service="api"\} 0$/m);
  });

  it('goes off by the wall clock when its timer lags behind it (a machine that slept)', async () => {
    const { kit, app, setFaults } = testApp();
    await setFaults({ errorRate: 1, ttlSeconds: 60 });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    try {
      expect((await app.request('/work')).status).toBe(200);
      expect(kit.faults.report().expiresAt).toEqual({});
    } finally {
      vi.useRealTimers();
    }
  });

  it('lives the default five minutes unless told, and a renewal pushes the expiry on', async () => {
    const { kit, setFaults, metricsText } = testApp();
    const before = Date.now();
    await setFaults({ errorRate: 0.1 });
    const first = Date.parse(kit.faults.report().expiresAt.errorRate!);
    expect(first - before).toBeGreaterThanOrEqual(300_000);
    expect(first - before).toBeLessThan(301_000);
    const expiry = /^fault_expiry_timestamp_seconds\{kind="errorRate",service="api"\} (\S+)$/m;
    expect(Math.round(Number(expiry.exec(await metricsText())?.[1]) * 1000)).toBe(first);

    await sleep(20);
    await setFaults({ errorRate: 0.1 });
    expect(Date.parse(kit.faults.report().expiresAt.errorRate!)).toBeGreaterThan(first);
  });

  it('keeps each kind on its own clock: setting one leaves the others’ expiry alone', async () => {
    const { kit, setFaults } = testApp();
    await setFaults({ latencyMs: 10, ttlSeconds: 60 });
    const latencyExpiry = kit.faults.report().expiresAt.latencyMs;
    await setFaults({ errorRate: 0.1, ttlSeconds: 1 });
    await sleep(1_200);
    expect(kit.faults.report().faults).toMatchObject({ errorRate: 0, latencyMs: 10 });
    expect(kit.faults.report().expiresAt).toEqual({ latencyMs: latencyExpiry });
  });

  it('burns CPU in a worker while /metrics keeps answering, and stops burning when the fault expires', async () => {
    const { app, setFaults } = testApp();
    await setFaults({ cpuBurn: 0.8, ttlSeconds: 3 });
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    let slowestMetricsMs = 0;
    while (performance.now() - wallBefore < 2_000) {
      const started = performance.now();
      const res = await app.request('/metrics');
      await res.text();
      slowestMetricsMs = Math.max(slowestMetricsMs, performance.now() - started);
      await sleep(100);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const cores = (cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore);
    // Idle is ~0.05 core; the margin below 0.8 leaves room for other work on a busy 2-core machine.
    expect(cores).toBeGreaterThan(0.5);
    expect(slowestMetricsMs).toBeLessThan(100);

    await sleep(1_500);
    const idleBefore = process.cpuUsage();
    const idleWall = performance.now();
    await sleep(500);
    const idle = process.cpuUsage(idleBefore);
    expect((idle.user + idle.system) / 1000 / (performance.now() - idleWall)).toBeLessThan(0.3);
  });
});
