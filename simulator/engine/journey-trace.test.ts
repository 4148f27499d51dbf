import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newJourneyTrace, SlowestJourneys } from './journey-trace.ts';
import { startTraffic, type TrafficAction } from './traffic-engine.ts';

let server: Server;
let origin: string;
/** Each request's path, by the traceparent it carried, in the order they arrived. */
const seen = new Map<string, string[]>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const traceparent = String(req.headers.traceparent);
    seen.set(traceparent, [...(seen.get(traceparent) ?? []), req.url ?? '']);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('journey traces', () => {
  it('makes W3C traceparents with fresh ids', () => {
    const a = newJourneyTrace();
    const b = newJourneyTrace();
    expect(a.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(a.traceparent).toBe(`00-${a.traceId}-${a.spanId}-01`);
    expect(b.traceId).not.toBe(a.traceId);
  });

  it('keeps the slowest journeys, slowest first', () => {
    const slowest = new SlowestJourneys(2);
    for (const latencyMs of [5, 30, 10, 20])
      slowest.offer({ action: 'a', traceId: `t${latencyMs}`, latencyMs });
    expect(slowest.list().map((j) => j.traceId)).toEqual(['t30', 't20']);
  });

  it('sends one traceparent on every request of a journey, another per journey, and reports their trace ids', async () => {
    seen.clear();
    const twoRequests: TrafficAction = {
      name: 'two-requests',
      run: async ({ send }) => {
        await send({ origin, path: '/first', headers: { 'user-agent': 'test' } });
        await send({ origin, path: '/second' });
      },
    };
    // Two journeys, which may overlap: none is dropped, however slow the machine.
    const report = await startTraffic({
      stages: [{ durationSeconds: 0.5, fromRate: 4, toRate: 4, pickAction: () => twoRequests }],
      maxInFlight: 2,
      maxArrivals: 2,
      seed: 3,
    }).finished;
    expect(report.completed).toBe(2);
    // One traceparent per journey, on both of its requests.
    expect([...seen.values()]).toEqual([
      ['/first', '/second'],
      ['/first', '/second'],
    ]);
    const traceIds = [...seen.keys()].map((traceparent) => traceparent.split('-')[1]);
    expect(report.slowestJourneys.map((j) => j.traceId).sort()).toEqual([...traceIds].sort());
  });
});
