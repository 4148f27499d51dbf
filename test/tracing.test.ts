import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLokiStandIn, type LokiStandIn } from '../scripts/native/loki-standin.ts';
import { startNativeStack, type NativeStack } from '../scripts/native/stack.ts';
import { startTracing } from '../services/kit/tracing/setup.ts';
import { loadSimulatorSettings } from '../simulator/settings.ts';
import { newJourneyTrace } from '../simulator/engine/journey-trace.ts';
import { startTraffic, type TrafficReport } from '../simulator/engine/traffic-engine.ts';
import { journeyAction } from '../simulator/scenarios/journeys.ts';
import { startOtlpReceiver, type OtlpReceiver, type RecordedSpan } from '../harness/otlp-receiver.ts';
import { testProducts, type TestProducts } from './support/products.ts';
import { adminHeaders, sql } from './support/stack.ts';
import { waitFor } from './support/wait-for.ts';

// Tracing on the native stack: its own stack (the shared one runs without tracing) whose services
// export to an OTLP stand-in and push logs to a Loki stand-in, and whose Prometheus stores exemplars.
let receiver: OtlpReceiver;
let loki: LokiStandIn;
let stack: NativeStack;
let db: ReturnType<typeof sql>;
let products: TestProducts;

const spanKind = { internal: 1, server: 2, client: 3 } as const;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  loki = await startLokiStandIn();
  stack = await startNativeStack({
    ports: 'random',
    prometheus: true,
    scrapeIntervalSeconds: 1,
    output: 'quiet',
    lokiUrl: loki.url,
    serviceEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' },
  });
  db = sql(stack);
  products = testProducts(db, 'T-TRACE', 'test/tracing.test.ts');
});

afterAll(async () => {
  await products?.remove();
  await db?.end();
  await stack?.stop();
  await loki?.close();
  await receiver?.close();
});

function checkout(sku: string, traceparent: string) {
  return fetch(`${stack.urls.frontend}/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', traceparent },
    body: new URLSearchParams({ sku, quantity: '1', email: 'tracing@example.com' }),
  });
}

/** The trace's spans once `expected` of them have arrived (exports are batched every 200 ms). */
function traceSpans(traceId: string, expected: (spans: RecordedSpan[]) => boolean): Promise<RecordedSpan[]> {
  return waitFor(`the spans of trace ${traceId}`, () => {
    const spans = receiver.spans().filter((s) => s.traceId === traceId);
    return expected(spans) && spans;
  });
}

function one(spans: RecordedSpan[], service: string, name: string): RecordedSpan {
  const found = spans.filter((s) => s.service === service && s.name === name);
  expect(
    found,
    `${service} span "${name}" in ${spans.map((s) => `${s.service}:${s.name}`).join(', ')}`,
  ).toHaveLength(1);
  return found[0]!;
}

async function setFaults(service: 'api' | 'inventory' | 'payment', faults: Record<string, number>) {
  const res = await fetch(`${stack.urls[service]}/admin/faults`, {
    method: 'PUT',
    headers: { ...adminHeaders(stack), 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(res.status).toBe(200);
}

/** A checkout while `faults` are on at `service`: its trace once the span `awaited` has arrived; the faults go off after. */
async function checkoutTraceWithFault(
  service: 'inventory' | 'payment',
  faults: Record<string, number>,
  awaited: string,
): Promise<RecordedSpan[]> {
  await setFaults(service, faults);
  try {
    const sku = await products.create(5);
    const journey = newJourneyTrace();
    await (await checkout(sku, journey.traceparent)).text();
    return await traceSpans(journey.traceId, (spans) => spans.some((span) => span.name === awaited));
  } finally {
    await setFaults(service, Object.fromEntries(Object.keys(faults).map((kind) => [kind, 0])));
  }
}

describe('traces on the native stack', () => {
  it('a checkout through the frontend is one trace: frontend → api → inventory and payment, with PostgreSQL spans', async () => {
    const sku = await products.create(5);
    const journey = newJourneyTrace();
    const res = await checkout(sku, journey.traceparent);
    expect(res.status).toBeLessThan(400);
    await res.text();

    const spans = await traceSpans(
      journey.traceId,
      (s) =>
        ['frontend', 'api', 'inventory', 'payment'].every((service) =>
          s.some((span) => span.service === service && span.kind === spanKind.server),
        ) && s.some((span) => span.name === 'payment gateway charge'),
    );
    const frontend = one(spans, 'frontend', 'POST /checkout');
    expect(frontend.kind).toBe(spanKind.server);
    expect(frontend.parentSpanId).toBe(journey.spanId);

    const orderCall = one(spans, 'frontend', 'POST /api/orders');
    expect(orderCall.kind).toBe(spanKind.client);
    expect(orderCall.parentSpanId).toBe(frontend.spanId);
    const api = one(spans, 'api', 'POST /api/orders');
    expect(api.parentSpanId).toBe(orderCall.spanId);

    const reserveCall = one(spans, 'api', 'POST /inventory/reserve');
    expect(reserveCall.parentSpanId).toBe(api.spanId);
    expect(one(spans, 'inventory', 'POST /inventory/reserve').parentSpanId).toBe(reserveCall.spanId);
    const paymentCall = one(spans, 'api', 'POST /payments');
    expect(paymentCall.parentSpanId).toBe(api.spanId);
    const payment = one(spans, 'payment', 'POST /payments');
    expect(payment.parentSpanId).toBe(paymentCall.spanId);
    expect(one(spans, 'payment', 'payment gateway charge').parentSpanId).toBe(payment.spanId);

    // Statements as spans of the service that ran them, with placeholders and never the values.
    const queries = spans.filter((s) => s.attributes['db.system.name'] === 'postgresql');
    expect(new Set(queries.map((q) => q.service))).toEqual(new Set(['api', 'inventory', 'payment']));
    const serverIds = (service: string) =>
      new Set(spans.filter((s) => s.service === service && s.kind === spanKind.server).map((s) => s.spanId));
    for (const query of queries) {
      expect(query.kind).toBe(spanKind.client);
      expect(serverIds(query.service).has(query.parentSpanId), `${query.name} under a server span`).toBe(
        true,
      );
      expect(String(query.attributes['db.query.text'])).not.toContain(sku);
    }
    expect(queries.map((q) => q.name)).toContain('UPDATE products');
    expect(queries.some((q) => String(q.attributes['db.query.text']).includes('$1'))).toBe(true);
  });

  it('an injected latency fault is a span of its own with the injected duration', async () => {
    const spans = await checkoutTraceWithFault('inventory', { latencyMs: 400 }, 'fault latency');
    const fault = one(spans, 'inventory', 'fault latency');
    expect(fault.attributes['fault.kind']).toBe('latency');
    expect(fault.durationMs).toBeGreaterThanOrEqual(395);
    expect(fault.durationMs).toBeLessThan(1_500);
    const inventory = one(spans, 'inventory', 'POST /inventory/reserve');
    expect(fault.parentSpanId).toBe(inventory.spanId);
    expect(inventory.durationMs).toBeGreaterThanOrEqual(fault.durationMs);
  });

  it('a failed charge shows the gateway failure inside the gateway span', async () => {
    const spans = await checkoutTraceWithFault('payment', { gatewayFailureRate: 1 }, 'fault gateway failure');
    const gateway = one(spans, 'payment', 'payment gateway charge');
    expect(gateway.statusCode).toBe(2);
    expect(one(spans, 'payment', 'fault gateway failure').parentSpanId).toBe(gateway.spanId);
    expect(one(spans, 'payment', 'POST /payments').statusCode).toBe(2);
  });

  it("the simulator's journey is the trace's root: an exported span of its own, parent of the frontend's server spans", async () => {
    const sku = await products.create(5);
    // The simulator's own tracing, as `shopfast-sim` starts it when an OTLP endpoint is set.
    const env = { ...process.env };
    Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: '' });
    const tracing = startTracing('shopfast-sim', loadSimulatorSettings().tracing);
    let report: TrafficReport;
    try {
      expect(tracing.enabled).toBe(true);
      report = await startTraffic({
        stages: [{ durationSeconds: 0.2, fromRate: 5, toRate: 5, pickAction: () => browseJourney(sku) }],
        maxInFlight: 1,
        maxArrivals: 1,
        seed: 7,
      }).finished;
    } finally {
      await tracing.shutdown();
      process.env = env;
    }
    expect(report.slowestJourneys).toHaveLength(1);
    const [journey] = report.slowestJourneys;
    expect(journey!.traceId).toMatch(/^[0-9a-f]{32}$/);
    const spans = await traceSpans(
      journey!.traceId,
      (s) =>
        s.some((span) => span.service === 'shopfast-sim') &&
        s.filter((span) => span.service === 'frontend' && span.kind === spanKind.server).length >= 2,
    );
    const ids = new Set(spans.map((s) => s.spanId));
    const roots = spans.filter((s) => !ids.has(s.parentSpanId));
    // One root, received: the journey's span, with no parent of its own.
    expect(roots.map((r) => `${r.service}:${r.name}`)).toEqual(['shopfast-sim:journey browse']);
    const [root] = roots;
    expect(root!.parentSpanId).toBe('');
    expect(root!.attributes['journey.action']).toBe('browse');
    // Both page views of the journey (home page, product page) are children of the journey's span.
    const pages = spans.filter((s) => s.service === 'frontend' && s.kind === spanKind.server);
    expect(pages.map((p) => p.name).sort()).toEqual(['GET /', 'GET /products/:sku']);
    for (const page of pages) expect(page.parentSpanId).toBe(root!.spanId);
    expect(root!.durationMs).toBeGreaterThanOrEqual(Math.max(...pages.map((p) => p.durationMs)));
  });

  it('log lines of a traced request carry its trace_id and span_id, on stdout and in Loki (not as labels)', async () => {
    const journey = newJourneyTrace();
    const sku = await products.create(5);
    await (await checkout(sku, journey.traceparent)).text();

    const pushed = await waitFor('Loki lines of the trace from every service', () => {
      const lines = loki.entries().filter((e) => e.line.includes(journey.traceId));
      return new Set(lines.map((l) => l.labels.service)).size === 4 && lines;
    });
    const logged = pushed.map((e) => JSON.parse(e.line) as { trace_id?: string; span_id?: string });
    // Each line names a span of the trace (spans are exported when they end, so wait for them).
    const spans = await traceSpans(journey.traceId, (s) =>
      logged.every((fields) => s.some((span) => span.spanId === fields.span_id)),
    );
    const spanIds = new Set(spans.map((s) => s.spanId));
    for (const entry of pushed) {
      const fields = JSON.parse(entry.line) as { trace_id?: string; span_id?: string };
      expect(fields.trace_id).toBe(journey.traceId);
      expect(spanIds.has(fields.span_id ?? '')).toBe(true);
      expect(Object.keys(entry.labels)).not.toContain('trace_id');
    }
    const paymentLine = pushed.find((e) => e.line.includes('payment succeeded'));
    expect(paymentLine, 'the payment service logged the charge inside the trace').toBeDefined();

    const stdout = await readFile(join(stack.logDir, 'api.log'), 'utf8');
    const apiLines = stdout.split('\n').filter((l) => l.includes(`"trace_id":"${journey.traceId}"`));
    expect(apiLines.some((l) => l.includes('request completed'))).toBe(true);
  });

  it('/metrics is OpenMetrics with trace-id exemplars, and Prometheus stores them', async () => {
    const journey = newJourneyTrace();
    const res = await fetch(`${stack.urls.api}/api/products`, {
      headers: { traceparent: journey.traceparent },
    });
    expect(res.status).toBe(200);
    await res.text();

    const metrics = await fetch(`${stack.urls.api}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
    const text = await metrics.text();
    expect(text.endsWith('# EOF\n')).toBe(true);
    const exemplar = new RegExp(
      `^http_request_duration_seconds_bucket\\{[^}]*route="/api/products"[^}]*\\} \\d+ # \\{trace_id="${journey.traceId}"\\} [\\d.e-]+ [\\d.]+$`,
      'm',
    );
    expect(text).toMatch(exemplar);

    const stored = await waitFor(
      'the exemplar in Prometheus',
      async () => {
        const now = Date.now() / 1000;
        const query = new URLSearchParams({
          query: 'http_request_duration_seconds_bucket{service="api",route="/api/products"}',
          start: String(now - 300),
          end: String(now + 60),
        });
        const answer = (await (
          await fetch(`${stack.prometheusUrl}/api/v1/query_exemplars?${query}`)
        ).json()) as {
          data: Array<{ exemplars: Array<{ labels: { trace_id?: string } }> }>;
        };
        const ids = answer.data.flatMap((series) => series.exemplars.map((e) => e.labels.trace_id));
        return ids.includes(journey.traceId) && ids;
      },
      { timeoutMs: 15_000 },
    );
    expect(stored.every((id) => /^[0-9a-f]{32}$/.test(id ?? ''))).toBe(true);
  });

  it("the request counter keeps the trace id of a 5xx answer, and of no other (the error panel's exemplars)", async () => {
    const journey = newJourneyTrace();
    await setFaults('api', { errorRate: 1 });
    try {
      const res = await fetch(`${stack.urls.api}/api/products`, {
        headers: { traceparent: journey.traceparent },
      });
      expect(res.status).toBeGreaterThanOrEqual(500);
      await res.text();
    } finally {
      await setFaults('api', { errorRate: 0 });
    }
    const text = await (await fetch(`${stack.urls.api}/metrics`)).text();
    const counted = text.split('\n').filter((line) => line.startsWith('http_requests_total{'));
    // The injected error answers before routing reaches the handler, so its route is the fallback.
    const failed = counted.filter((line) => /status="5\d\d"/.test(line));
    expect(
      failed.some((line) => line.includes(`# {trace_id="${journey.traceId}"} 1`)),
      counted.join('\n'),
    ).toBe(true);
    const answered = counted.filter((line) => !/status="5\d\d"/.test(line));
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.filter((line) => line.includes(' # {'))).toEqual([]);
  });
});

function browseJourney(sku: string) {
  return journeyAction(
    { kind: 'browse' },
    { apiOrigin: stack.urls.api, frontendOrigin: stack.urls.frontend, skus: [sku] },
  );
}
