import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalTarget } from './local-target.ts';
import { startTraffic, type TrafficAction, type TrafficPlan, type TrafficReport } from './traffic-engine.ts';

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

/** The plan's clock on fake timers: the engine's deadlines, its sleeps and the actions' waits. */
async function onFakeClock(plan: TrafficPlan, seconds: number): Promise<TrafficReport> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  try {
    const run = startTraffic(plan);
    await vi.advanceTimersByTimeAsync(seconds * 1000 + 100);
    return await run.finished;
  } finally {
    vi.useRealTimers();
  }
}

/** An action answered after `delayMs(now)` on the (fake) clock, without any request. */
function answeredAfter(delayMs: (nowMs: number) => number): TrafficAction {
  return {
    name: 'answer',
    run: () => new Promise((resolve) => setTimeout(resolve, delayMs(performance.now()))),
  };
}

// The engine's schedule on a fake clock: what it starts, when, and how it times it. The rates it
// reaches in real time against a real server are measured by the benchmark (bench/engine.ts).
describe('traffic engine on a fake clock', () => {
  it.each([200, 1000])('starts exactly %i arrivals a second for 10 s, none dropped or late', async (rate) => {
    const plan = constantPlan(rate, 10);
    plan.stages[0]!.pickAction = () => answeredAfter(() => 1);
    const report = await onFakeClock(plan, 10);
    expect(report.stopReason).toBe('completed');
    expect(report.scheduled).toBe(rate * 10);
    expect(report.achievedRate).toBe(rate);
    expect(report.dropped).toBe(0);
    expect(report.lateStarts).toBe(0);
    expect(report.completed).toBe(report.started);
  });

  it('shows a 1 s server stall in the latencies (no coordinated omission)', async () => {
    const plan = constantPlan(100, 5, { seed: 2 });
    // Answers take 1 ms, but nothing is answered between 2 s and 3 s: those wait until 3 s.
    const stalled = (nowMs: number) => (nowMs >= 2000 && nowMs < 3000 ? 3000 - nowMs : 1);
    plan.stages[0]!.pickAction = () => answeredAfter(stalled);
    const report = await onFakeClock(plan, 5);
    // About 100 requests fall into the stall, waiting on average 500 ms: ~10 % of 500 arrivals.
    // A closed-loop client would have recorded a single slow request and a p90 near 1 ms.
    expect(report.latency.maxMs).toBeGreaterThan(900);
    expect(report.latency.p95Ms).toBeGreaterThan(250);
    expect(report.latency.p50Ms).toBeLessThan(50);
    expect(report.completed).toBe(500);
  });
});

describe('traffic engine against a local HTTP server', () => {
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
