import { afterEach, describe, expect, it } from 'vitest';
import { createKit, loadConfig, type ServiceKit } from '../kit/index.ts';
import { createPaymentApp, declinedToken, parseProcessingRange } from './app.ts';

const adminToken = 'payment-test-token';
const kits: ServiceKit[] = [];

function paymentApp() {
  const kit = createKit(loadConfig('payment', { ADMIN_TOKEN: adminToken, LOG_LEVEL: 'silent' }), {
    withGatewayFaults: true,
  });
  kits.push(kit);
  return createPaymentApp(kit, { processingMs: { min: 1, max: 2 } });
}

const valid = {
  orderId: '9b2f3c1e-8d4a-4f6b-9c2e-1a2b3c4d5e6f',
  amountCents: 4200,
  currency: 'USD',
  method: 'card',
};
const pay = (app: ReturnType<typeof paymentApp>, body: unknown) =>
  app.request('/payments', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

afterEach(async () => {
  await Promise.all(kits.splice(0).map((kit) => kit.close()));
});

describe('POST /payments', () => {
  it('charges a valid payment', async () => {
    const res = await pay(paymentApp(), valid);
    expect(res.status).toBe(201);
    const { payment } = (await res.json()) as { payment: { id: string; status: string; gatewayRef: string } };
    expect(payment.status).toBe('succeeded');
    expect(payment.gatewayRef).toMatch(/^gw_/);
  });

  it('declines the decline test token with 402', async () => {
    const res = await pay(paymentApp(), { ...valid, token: declinedToken });
    expect(res.status).toBe(402);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payment_declined');
  });

  it.each([
    ['a missing orderId', { ...valid, orderId: undefined }],
    ['an orderId that is not a uuid', { ...valid, orderId: '42' }],
    ['a zero amount', { ...valid, amountCents: 0 }],
    ['a fractional amount', { ...valid, amountCents: 10.5 }],
    ['a huge amount', { ...valid, amountCents: 1e12 }],
    ['a lower-case currency', { ...valid, currency: 'usd' }],
    ['an unknown method', { ...valid, method: 'cash' }],
    ['an unknown field', { ...valid, tip: 5 }],
  ])('rejects %s with 400', async (_, body) => {
    const res = await pay(paymentApp(), body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_body');
  });

  it('fails every charge with 502 while the gateway fault is at 100 %, and counts them', async () => {
    const app = paymentApp();
    await app.request('/admin/faults', {
      method: 'PUT',
      body: JSON.stringify({ gatewayFailureRate: 1 }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    });
    for (let i = 0; i < 3; i++) {
      const res = await pay(app, valid);
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payment_gateway_error');
    }
    const metrics = await (await app.request('/metrics')).text();
    expect(metrics).toContain('payments_total{status="failed",method="card",service="payment"} 3');
  });
});

describe('parseProcessingRange', () => {
  it('reads min-max milliseconds', () => {
    expect(parseProcessingRange('0-0')).toEqual({ min: 0, max: 0 });
    expect(parseProcessingRange('100-500')).toEqual({ min: 100, max: 500 });
    expect(parseProcessingRange(undefined)).toBeUndefined();
  });

  it.each(['fast', '500-100', '-1-5', '100'])('rejects %s', (value) => {
    expect(() => parseProcessingRange(value)).toThrow(/PAYMENT_PROCESSING_MS/);
  });
});
