import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalTarget } from './local-target.ts';
import { startTraffic, type TrafficAction, type TrafficPlan } from './traffic-engine.ts';

let target: LocalTarget;

beforeAll(async () => {
  target = await LocalTarget.start();
});

afterAll(async () => {
  await target.close();
});

function getOk(): TrafficAction {
  return {
    name: 'get',
    run: async (context) => void (await context.send({ origin: target.origin, path: '/' })),
  };
}

function constantPlan(rate: number, seconds: number, extra: Partial<TrafficPlan> = {}): TrafficPlan {
  const action = getOk();
  return {
    stages: [{ durationSeconds: seconds, fromRate: rate, toRate: rate, pickAction: () => action }],
    maxInFlight: 200,
    maxArrivals: rate * seconds * 2,
    seed: 1,
    ...extra,
  };
}

describe('traffic engine against a local HTTP server', () => {
  it.each([200, 1000])('achieves %i req/s within 2 % over 10 s', { timeout: 30_000 }, async (rate) => {
    target.setDelay(0);
    const report = await startTraffic(constantPlan(rate, 10)).finished;
    expect(report.stopReason).toBe('completed');
    expect(Math.abs(report.achievedRate - rate) / rate).toBeLessThan(0.02);
    expect(report.dropped).toBe(0);
    expect(report.statusCounts['200']).toBe(report.completed);
    expect(report.completed).toBe(report.started);
  });

  it('shows a 1 s server stall in the latencies (no coordinated omission)', async () => {
    target.setDelay(0);
    const run = startTraffic(constantPlan(100, 5, { seed: 2 }));
    setTimeout(() => target.stall(1000), 2000);
    const report = await run.finished;
    // About 100 requests fall into the stall, waiting on average 500 ms: ~10 % of 500 arrivals.
    // A closed-loop client would have recorded a single slow request and a p90 near 1 ms.
    expect(report.latency.maxMs).toBeGreaterThan(900);
    expect(report.latency.p95Ms).toBeGreaterThan(250);
    expect(report.latency.p50Ms).toBeLessThan(50);
    expect(report.completed).toBeGreaterThan(480);
  });

  it('never exceeds the in-flight cap and counts dropped starts', async () => {
    target.setDelay(500);
    const before = await target.stats();
    const report = await startTraffic(constantPlan(200, 2, { maxInFlight: 20, seed: 3 })).finished;
    const after = await target.stats();
    target.setDelay(0);
    expect(report.maxInFlightSeen).toBe(20);
    expect(after.maxOpen).toBeLessThanOrEqual(Math.max(before.maxOpen, 20));
    expect(report.scheduled).toBe(400);
    // 20 slots freed every 500 ms over 2 s: about 80 starts, the rest dropped.
    expect(report.started).toBeLessThan(110);
    expect(report.dropped).toBe(report.scheduled - report.started);
    expect(report.completed).toBe(report.started);
  });

  it('stops at the maximum count even if the duration says more', async () => {
    const report = await startTraffic(constantPlan(200, 10, { maxArrivals: 50 })).finished;
    expect(report.stopReason).toBe('max-arrivals');
    expect(report.scheduled).toBe(50);
    expect(report.elapsedSeconds).toBeLessThan(1);
  });

  it('stops at once on abort and cancels running requests', async () => {
    target.setDelay(5000);
    const controller = new AbortController();
    const run = startTraffic(constantPlan(50, 10, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 300);
    const report = await run.finished;
    target.setDelay(0);
    expect(report.stopReason).toBe('aborted');
    expect(report.elapsedSeconds).toBeLessThan(1);
    expect(report.completed).toBe(0);
  });

  it('reports per-action latency and status counts, including a refused connection', async () => {
    const ok = getOk();
    const refused: TrafficAction = {
      name: 'refused',
      run: async (context) => void (await context.send({ origin: 'http://127.0.0.1:1', path: '/' })),
    };
    const report = await startTraffic({
      stages: [
        { durationSeconds: 1, fromRate: 100, toRate: 100, pickAction: (r) => (r() < 0.5 ? ok : refused) },
      ],
      maxInFlight: 50,
      maxArrivals: 1000,
      seed: 4,
    }).finished;
    expect(report.actions.get?.iterations).toBeGreaterThan(20);
    expect(report.actions.refused?.failed).toBe(report.actions.refused?.iterations);
    expect(report.statusCounts['no response (ECONNREFUSED)']).toBe(report.actions.refused?.iterations);
    expect(report.failedRequests).toBe(report.actions.refused?.iterations);
  });
});
