import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKit, type ServiceKit } from '../kit/index.ts';
import { createApiClient, type ApiTimeouts, type Product } from './api-client.ts';
import { createFrontendApp } from './app.ts';
import { IncidentStore } from './incidents.ts';
import { frontendSettingsFrom } from './settings.ts';
import { StatusStream } from './status-stream.ts';

// A tiny HTTP server standing in for the api: the frontend's real client talks to it over HTTP.
const products: Product[] = [
  {
    sku: 'SF-1001',
    name: 'Trail Shoes',
    description: 'Grippy.',
    priceCents: 8999,
    stock: 4,
    lowStockThreshold: 10,
  },
  {
    sku: 'SF-1002',
    name: 'Hoodie <script>alert(1)</script>',
    description: 'Warm & soft.',
    priceCents: 7450,
    stock: 120,
    lowStockThreshold: 18,
  },
  { sku: 'SF-1003', name: 'Bottle', description: 'Cold.', priceCents: 2499, stock: 0, lowStockThreshold: 30 },
];
interface Reply {
  status: number;
  body: unknown;
}
const fakeApi = {
  server: undefined as Server | undefined,
  url: '',
  orders: [] as Array<{ body: unknown; requestId: string | undefined }>,
  orderReply: undefined as Reply | undefined,
};
const envelope = (code: string, message: string) => ({ error: { code, message }, requestId: 'api-req' });

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

beforeAll(async () => {
  fakeApi.server = createServer(async (req, res) => {
    const send = ({ status, body }: Reply) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const path = req.url ?? '';
    if (path === '/health') return send({ status: 200, body: { status: 'ok' } });
    if (path === '/api/products') return send({ status: 200, body: { products } });
    if (path === '/api/products/SF-SLOW') return setTimeout(() => send({ status: 404, body: {} }), 1_000);
    const one = path.match(/^\/api\/products\/([^/]+)$/);
    if (one) {
      const product = products.find((p) => p.sku === decodeURIComponent(one[1]!));
      return send(
        product ? { status: 200, body: { product } } : { status: 404, body: envelope('unknown_sku', 'no') },
      );
    }
    if (path === '/api/orders' && req.method === 'POST') {
      const body = JSON.parse(await readBody(req)) as { items: Array<{ sku: string; quantity: number }> };
      fakeApi.orders.push({ body, requestId: req.headers['x-request-id'] as string | undefined });
      const total = products.find((p) => p.sku === body.items[0]!.sku)!.priceCents * body.items[0]!.quantity;
      return send(
        fakeApi.orderReply ?? {
          status: 201,
          body: {
            order: {
              id: 'order-0001',
              status: 'paid',
              totalCents: total,
              currency: 'USD',
              items: body.items,
            },
          },
        },
      );
    }
    send({ status: 404, body: envelope('not_found', 'no route') });
  });
  await new Promise<void>((resolve) => fakeApi.server!.listen(0, '127.0.0.1', resolve));
  fakeApi.url = `http://127.0.0.1:${(fakeApi.server!.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => fakeApi.server?.close(resolve)));

const secret = 'webhook-secret-for-tests';
const adminToken = 'admin-token-for-tests';
const kits: ServiceKit[] = [];
beforeEach(() => {
  fakeApi.orders = [];
  fakeApi.orderReply = undefined;
});
afterEach(async () => {
  await Promise.all(kits.splice(0).map((kit) => kit.close()));
});

function frontend(apiUrl = fakeApi.url, timeouts?: ApiTimeouts) {
  const kit = createKit(
    frontendSettingsFrom({ LOG_LEVEL: 'fatal', ADMIN_TOKEN: adminToken, ALERT_WEBHOOK_SECRET: secret }),
  );
  kits.push(kit);
  const incidents = new IncidentStore();
  const app = createFrontendApp(kit, {
    api: createApiClient(apiUrl, timeouts),
    incidents,
    statusStream: new StatusStream(incidents),
  });
  return { kit, app, incidents };
}

const html = { accept: 'text/html' };
const checkout = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...html },
  body: new URLSearchParams(fields).toString(),
});
const validForm = { sku: 'SF-1001', quantity: '2', email: 'ada@example.com' };

async function pageViews(kit: ServiceKit): Promise<Record<string, number>> {
  const text = await kit.metrics.registry.metrics();
  const views: Record<string, number> = {};
  for (const m of text.matchAll(/^page_views_total\{page="(\w+)",service="frontend"\} (\d+)$/gm)) {
    views[m[1]!] = Number(m[2]);
  }
  return views;
}

describe('shop pages', () => {
  it('home lists every product with price and stock, escaping what the api sends', async () => {
    const { app, kit } = frontend();
    const res = await app.request('/', { headers: html });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page.match(/class="card product"/g)).toHaveLength(3);
    expect(page).toContain('$89.99');
    expect(page).toContain('Only 4 left');
    expect(page).toContain('Sold out');
    expect(page).toContain('href="/products/SF-1002"');
    expect(page).toContain('Hoodie &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)');
    expect((await pageViews(kit)).home).toBe(1);
  });

  it('product page shows the product and a checkout form', async () => {
    const { app, kit } = frontend();
    const page = await (await app.request('/products/SF-1002')).text();
    expect(page).toContain('Warm &amp; soft.');
    expect(page).toContain('<form class="checkout" method="post" action="/checkout">');
    expect(page).toContain('name="sku" value="SF-1002"');
    expect((await pageViews(kit)).product).toBe(1);
  });

  it('answers an unknown sku with a 404 page and a malformed one with a 400 page', async () => {
    const { app, kit } = frontend();
    const missing = await app.request('/products/SF-9999', { headers: html });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await missing.text()).toContain('There is no product with sku SF-9999');
    const malformed = await app.request('/products/%3Cbad%20sku%3E', { headers: html });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('invalid_parameter');
    expect((await pageViews(kit)).product).toBe(0);
  });

  it('cart shows the total for a sku and quantity, an empty cart without one, and 400/404 for bad ones', async () => {
    const { app } = frontend();
    const cart = await (await app.request('/cart?sku=SF-1001&quantity=3')).text();
    expect(cart).toContain('$269.97');
    expect(await (await app.request('/cart')).text()).toContain('Your cart is empty');
    const zero = await app.request('/cart?sku=SF-1001&quantity=0');
    expect(zero.status).toBe(400);
    expect(await zero.text()).toContain('quantity: must be at least 1');
    expect((await app.request('/cart?sku=SF-4040')).status).toBe(404);
  });

  it('answers 504 when the api does not answer in time', async () => {
    const { app } = frontend(fakeApi.url, { readMs: 100, orderMs: 100 });
    const res = await app.request('/products/SF-SLOW', { headers: html });
    expect(res.status).toBe(504);
    expect(await res.text()).toContain('The shop is too slow right now');
  });

  it('keeps machine paths JSON: unknown /api routes get the envelope, unknown pages a page', async () => {
    const { app } = frontend();
    const api = await app.request('/api/nothing-here');
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const page = await app.request('/nothing-here', { headers: html });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('shows the incident banner on shop pages while an alert fires', async () => {
    const { app } = frontend();
    expect(await (await app.request('/')).text()).not.toContain('role="alert"');
    const firing = readFileSync(new URL('./fixtures/webhook-firing.json', import.meta.url), 'utf8');
    await app.request('/api/alerts/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-secret': secret },
      body: firing,
    });
    const page = await (await app.request('/products/SF-1001')).text();
    expect(page).toContain('class="banner sev-critical" role="alert"');
    expect(page).toContain('2 incidents in progress');
    expect(page).toContain('High error rate (api)');
    expect(page).toContain('High error rate (frontend)');
  });

  it('turns injected errors into 500 pages, still counted as 500', async () => {
    const { app, kit } = frontend();
    await app.request('/admin/faults', {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1 }),
    });
    const res = await app.request('/', { headers: html });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('Injected fault');
    expect(await kit.metrics.registry.metrics()).toMatch(
      /^http_requests_total\{method="GET",route="\/\*",status="500",service="frontend"\} 1$/m,
    );
  });
});

describe('POST /checkout', () => {
  it('places the order through the api and shows the confirmation with the order id', async () => {
    const { app, kit } = frontend();
    const res = await app.request('/checkout', checkout(validForm));
    expect(res.status).toBe(201);
    const page = await res.text();
    expect(page).toContain('order-0001');
    expect(page).toContain('$179.98');
    expect(fakeApi.orders).toEqual([
      {
        body: {
          items: [{ sku: 'SF-1001', quantity: 2 }],
          paymentMethod: 'card',
          customerEmail: 'ada@example.com',
        },
        requestId: res.headers.get('x-request-id'),
      },
    ]);
    expect((await pageViews(kit)).checkout).toBe(1);
  });

  it.each([
    [409, 'insufficient_stock', 'Sold out', 409],
    [402, 'payment_declined', 'Payment declined', 402],
    [502, 'payment_gateway_error', 'The payment provider failed', 502],
    [503, 'payment_unavailable', 'Something went wrong', 503],
    [404, 'unknown_sku', 'Not found', 404],
    [500, 'internal_error', 'Something went wrong', 502],
  ])(
    'maps the api answering %i %s to a page saying "%s" with status %i',
    async (status, code, headline, expected) => {
      const { app, kit } = frontend();
      fakeApi.orderReply = { status, body: envelope(code, `api says ${code}`) };
      const res = await app.request('/checkout', checkout(validForm));
      expect(res.status).toBe(expected);
      const page = await res.text();
      expect(page).toContain(`<h1>${headline}</h1>`);
      expect(page).toContain(`api says ${code}`);
      expect((await pageViews(kit)).checkout).toBe(0);
    },
  );

  it('answers 502 when the api sends something that is not an order', async () => {
    const { app } = frontend();
    fakeApi.orderReply = { status: 201, body: '<html>surprise</html>' };
    expect((await app.request('/checkout', checkout(validForm))).status).toBe(502);
  });

  it('answers 503 when the api is down, and /ready says so', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { app } = frontend(`http://127.0.0.1:${port}`);
    const res = await app.request('/checkout', checkout(validForm));
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('The shop is temporarily unavailable');
    expect((await app.request('/')).status).toBe(503);
    expect((await app.request('/ready')).status).toBe(503);
    expect((await frontend().app.request('/ready')).status).toBe(200);
  });

  it.each([
    ['a missing email', { sku: 'SF-1001', quantity: '1' }, 'email:'],
    ['a bad email', { ...validForm, email: 'not-an-email' }, 'email: must be a valid email address'],
    ['quantity 0', { ...validForm, quantity: '0' }, 'quantity: must be at least 1'],
    ['a huge quantity', { ...validForm, quantity: '1000000' }, 'quantity: must be at most 100'],
    ['a fractional quantity', { ...validForm, quantity: '1.5' }, 'quantity: must be a whole number'],
    ['a word as quantity', { ...validForm, quantity: 'lots' }, 'quantity: must be a number'],
    ['a malformed sku', { ...validForm, sku: '../etc' }, 'sku:'],
  ])('answers 400 to %s without calling the api', async (_, fields, named) => {
    const { app } = frontend();
    const res = await app.request('/checkout', checkout(fields));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(named);
    expect(fakeApi.orders).toEqual([]);
  });

  it('answers 400 to a body that is not a form', async () => {
    const { app } = frontend();
    const res = await app.request('/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validForm),
    });
    expect(res.status).toBe(400);
    const broken = await app.request('/checkout', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=nope' },
      body: 'garbage',
    });
    expect(broken.status).toBe(400);
  });
});
