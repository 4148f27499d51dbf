import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';

const stack = inject('stack');
const apiUrl = stack.urls.api;

interface Product {
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  stock: number;
  lowStockThreshold: number;
}

describe('api health', () => {
  it('is alive and ready when PostgreSQL, inventory and payment answer', async () => {
    const health = await fetch(`${apiUrl}/health`);
    expect(await health.json()).toEqual({ status: 'ok', service: 'api' });
    const ready = await fetch(`${apiUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { postgres: 'ok', inventory: 'ok', payment: 'ok' },
    });
  });
});

describe('GET /api/products', () => {
  it('lists the catalog from PostgreSQL', async () => {
    const response = await fetch(`${apiUrl}/api/products`);
    expect(response.status).toBe(200);
    const { products } = (await response.json()) as { products: Product[] };
    const hoodie = products.find((p) => p.sku === 'SF-1002');
    expect(hoodie).toEqual({
      sku: 'SF-1002',
      name: 'Merino Wool Hoodie',
      description: expect.any(String),
      priceCents: 7450,
      stock: expect.any(Number),
      lowStockThreshold: 18,
    });
    const seeded = products.filter((p) => /^SF-10\d\d$/.test(p.sku));
    expect(seeded).toHaveLength(10);
  });

  it('answers one product, 404 for an unknown sku, 400 for a malformed one', async () => {
    const found = await fetch(`${apiUrl}/api/products/SF-1005`);
    expect(found.status).toBe(200);
    const { product } = (await found.json()) as { product: Product };
    expect(product).toMatchObject({ sku: 'SF-1005', priceCents: 19900, lowStockThreshold: 12 });

    const missing = await fetch(`${apiUrl}/api/products/SF-9999`, {
      headers: { 'x-request-id': 'api-test-404' },
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { code: 'unknown_sku', message: 'Unknown sku: SF-9999' },
      requestId: 'api-test-404',
    });

    const malformed = await fetch(
      `${apiUrl}/api/products/${encodeURIComponent("SF'; DROP TABLE products;--")}`,
    );
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('invalid_parameter');
  });

  it('labels request metrics with the route pattern, not the raw path', async () => {
    await fetch(`${apiUrl}/api/products/SF-1003`);
    const text = await (await fetch(`${apiUrl}/metrics`)).text();
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/api\/products\/:sku",status="200",service="api"\} \d+/,
    );
    expect(text).not.toContain('route="/api/products/SF-1003"');
    for (const name of ['orders_total', 'order_value_cents_bucket', 'login_attempts_total']) {
      expect(text).toContain(`${name}{`);
    }
  });
});

describe('metrics format', () => {
  it.each(['api', 'inventory'] as const)('%s /metrics passes promtool check metrics', async (service) => {
    const result = spawnSync('promtool', ['check', 'metrics'], {
      input: await (await fetch(`${stack.urls[service]}/metrics`)).text(),
      encoding: 'utf8',
    });
    expect(result.error).toBeUndefined();
    // prom-client's own default gauges are named *_total; everything else must be clean.
    const upstream = /^nodejs_active_(handles|requests|resources)_total non-counter metrics/;
    const problems = `${result.stdout}${result.stderr}`
      .split('\n')
      .filter((line) => line && !upstream.test(line));
    expect(problems).toEqual([]);
  });
});
