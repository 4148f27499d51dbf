import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { deadlineHeaders, HttpError, tracedCall } from '../kit/index.ts';

const product = z.object({
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  priceCents: z.number().int(),
  stock: z.number().int(),
  lowStockThreshold: z.number().int(),
});
export type Product = z.infer<typeof product>;

const productList = z.object({ products: z.array(product) });
const productOne = z.object({ product });
const orderPlaced = z.object({
  order: z.object({
    id: z.string(),
    status: z.string(),
    totalCents: z.number().int(),
    currency: z.string(),
    items: z.array(z.object({ sku: z.string(), quantity: z.number().int() })),
  }),
});
export type Order = z.infer<typeof orderPlaced>['order'];

const signedIn = z.object({ user: z.object({ email: z.string(), name: z.string() }) });
/** A shopper the api has signed in. */
export type Shopper = z.infer<typeof signedIn>['user'];

/** The api's answer to a sign-in: a wrong password and an unknown account are the same 'rejected'. */
export type LoginOutcome =
  { result: 'signed-in'; shopper: Shopper } | { result: 'rejected' } | { result: 'throttled' };

export interface LoginRequest {
  email: string;
  password: string;
}

const envelope = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export interface OrderRequest {
  sku: string;
  quantity: number;
  email: string;
}

/** What the frontend needs from the api; pages depend on this, tests may stand a small server in for it. */
export interface ShopApi {
  listProducts(requestId: string): Promise<Product[]>;
  /** undefined when the api has no product with this sku. */
  getProduct(sku: string, requestId: string): Promise<Product | undefined>;
  placeOrder(order: OrderRequest, requestId: string): Promise<Order>;
  /** forwardedFor: the shopper's address chain, so the api records where the attempt came from. */
  login(
    credentials: LoginRequest,
    call: { requestId: string; forwardedFor: string | undefined },
  ): Promise<LoginOutcome>;
  /** Resolves when the api's /health answers 200. */
  health(): Promise<void>;
}

export interface ApiTimeouts {
  readMs: number;
  orderMs: number;
}

// Checkout waits for the payment gateway (100-500 ms, more under a latency fault); page reads are quick.
// orderMs stays above the api's order budget (10 s), and every call tells the api what it will wait.
const defaultTimeouts: ApiTimeouts = { readMs: 5_000, orderMs: 15_000 };

// The api's own 4xx answers (sold out, declined, unknown sku) pass through with their status; its
// failures become 502 (it answered, but badly) except 503, which already says "try again later".
function upstreamStatus(status: number): ContentfulStatusCode {
  if (status >= 400 && status < 500) return status as ContentfulStatusCode;
  return status === 503 ? 503 : 502;
}

export function createApiClient(baseUrl: string, timeouts: ApiTimeouts = defaultTimeouts): ShopApi {
  async function call(path: string, route: string, requestId: string, init: RequestInit, timeoutMs: number) {
    let response: Response;
    const url = new URL(path, baseUrl);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-request-id': requestId,
      ...deadlineHeaders(timeoutMs),
      ...(init.headers as Record<string, string> | undefined),
    };
    try {
      response = await tracedCall({ peer: 'api', method: init.method ?? 'GET', url, route }, headers, () =>
        fetch(url, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) }),
      );
    } catch (err) {
      if (err instanceof DOMException && err.name === 'TimeoutError') {
        throw new HttpError(504, 'api_timeout', `The shop api did not answer within ${timeoutMs / 1000} s`);
      }
      throw new HttpError(503, 'api_unavailable', 'The shop api is unreachable; try again shortly');
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.ok) return body;
    const failure = envelope.safeParse(body);
    const { code, message } = failure.success
      ? failure.data.error
      : { code: 'upstream_error', message: `The shop api answered ${response.status}` };
    throw new HttpError(upstreamStatus(response.status), code, message);
  }

  function expect<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      throw new HttpError(502, 'bad_upstream_response', `The shop api sent an unexpected ${what}`);
    return parsed.data;
  }

  return {
    async listProducts(requestId) {
      const body = await call('/api/products', '/api/products', requestId, {}, timeouts.readMs);
      return expect(productList, body, 'product list').products;
    },
    async getProduct(sku, requestId) {
      try {
        const body = await call(
          `/api/products/${encodeURIComponent(sku)}`,
          '/api/products/:sku',
          requestId,
          {},
          timeouts.readMs,
        );
        return expect(productOne, body, 'product').product;
      } catch (err) {
        if (err instanceof HttpError && err.status === 404) return undefined;
        throw err;
      }
    },
    async placeOrder(order, requestId) {
      const body = await call(
        '/api/orders',
        '/api/orders',
        requestId,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            items: [{ sku: order.sku, quantity: order.quantity }],
            paymentMethod: 'card',
            customerEmail: order.email,
          }),
        },
        timeouts.orderMs,
      );
      return expect(orderPlaced, body, 'order').order;
    },
    async login(credentials, { requestId, forwardedFor }) {
      try {
        const body = await call(
          '/api/login',
          '/api/login',
          requestId,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
            },
            body: JSON.stringify(credentials),
          },
          timeouts.readMs,
        );
        return { result: 'signed-in', shopper: expect(signedIn, body, 'sign-in answer').user };
      } catch (err) {
        if (err instanceof HttpError && err.code === 'invalid_credentials') return { result: 'rejected' };
        // The api refuses logins beyond what its scrypt slots and queue hold (too_many_logins).
        if (err instanceof HttpError && err.status === 429) return { result: 'throttled' };
        throw err;
      }
    },
    async health() {
      const response = await fetch(new URL('/health', baseUrl), {
        signal: AbortSignal.timeout(timeouts.readMs),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`api /health answered ${response.status}`);
    },
  };
}
