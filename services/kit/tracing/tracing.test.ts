import { trace } from '@opentelemetry/api';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../../../harness/otlp-receiver.ts';
import { createServiceApp } from '../app.ts';
import { createKit, type ServiceKit } from '../kit.ts';
import { testSettings } from '../testing/test-kit.ts';
import { requireForTracing, tracingEnabled } from './setup.ts';
import { statementName, statementText, traceSql } from './traced-sql.ts';

let receiver: OtlpReceiver;
const parent = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
const traceparent = `00-${parent.traceId}-${parent.spanId}-01`;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());
afterEach(() => {
  vi.unstubAllEnvs();
  receiver.clear();
});

/** A kit app (as the services build it) whose one route reports the span it runs in. */
function appWithKit(kit: ServiceKit) {
  const app = createServiceApp(kit);
  app.get('/items/:id', (c) => c.json({ spanId: trace.getActiveSpan()?.spanContext().spanId ?? null }));
  return app;
}

describe('tracing in the kit', () => {
  it('with no OTLP endpoint nothing is traced: no provider, no active span, no export, Prometheus text', async () => {
    const kit = createKit(testSettings('api', { LOG_LEVEL: 'silent' }));
    try {
      expect(kit.tracing.enabled).toBe(false);
      expect(tracingEnabled()).toBe(false);
      // Nothing of the SDK is even loaded: its modules cost memory in every process.
      const sdkModules = Object.keys(requireForTracing.cache).filter((path) =>
        /@opentelemetry\/(sdk-|exporter-|resources)/.test(path),
      );
      expect(sdkModules).toEqual([]);
      const app = appWithKit(kit);
      const res = await app.request('/items/7', { headers: { traceparent } });
      expect(await res.json()).toEqual({ spanId: null });
      const db = postgres('postgres://nobody@127.0.0.1:1/none');
      expect(traceSql(db)).toBe(db);
      await db.end();
      expect((await app.request('/metrics')).headers.get('content-type')).toMatch(/^text\/plain/);
    } finally {
      await kit.close();
    }
    expect(receiver.requests()).toBe(0);
  });

  it('with an endpoint, a request is a server span named by its route, child of the incoming traceparent', async () => {
    // The SDK reads OTEL_SERVICE_NAME itself: unset here, the kit's own name is the service's.
    vi.stubEnv('OTEL_SERVICE_NAME', '');
    const kit = createKit(
      testSettings('api', { LOG_LEVEL: 'silent', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }),
    );
    let seenSpanId: string | null;
    try {
      expect(kit.tracing.enabled).toBe(true);
      const res = await appWithKit(kit).request('/items/7', { headers: { traceparent } });
      seenSpanId = ((await res.json()) as { spanId: string | null }).spanId;
    } finally {
      // Shutting down exports what is buffered and switches tracing off again.
      await kit.close();
    }
    expect(tracingEnabled()).toBe(false);
    const [span, ...others] = receiver.spans();
    expect(others).toEqual([]);
    expect(span).toMatchObject({
      service: 'api',
      name: 'GET /items/:id',
      kind: 2,
      traceId: parent.traceId,
      parentSpanId: parent.spanId,
      spanId: seenSpanId!,
    });
    expect(span!.attributes['http.route']).toBe('/items/:id');
    expect(span!.attributes['http.response.status_code']).toBe(200);
  });
});

describe('statement names for PostgreSQL spans', () => {
  it('shows the template with placeholders, never the values', () => {
    expect(statementText(['SELECT a\n  FROM b WHERE c = ', ' AND d = ', ''])).toBe(
      'SELECT a FROM b WHERE c = $1 AND d = $2',
    );
  });

  it.each([
    ['SELECT 1', 'SELECT'],
    ['SELECT sku FROM products WHERE sku = $1', 'SELECT products'],
    ['UPDATE products SET stock = seed_stock', 'UPDATE products'],
    ['INSERT INTO login_attempts (username) VALUES ($1)', 'INSERT login_attempts'],
    [
      'WITH w AS (SELECT * FROM unnest($1::text[])) UPDATE products p SET stock = 1 FROM w',
      'UPDATE products',
    ],
    ['WITH o AS (INSERT INTO orders VALUES ($1)) INSERT INTO payments (id) VALUES ($2)', 'INSERT payments'],
  ])('%s is named "%s"', (text, name) => {
    expect(statementName(text).name).toBe(name);
  });
});
