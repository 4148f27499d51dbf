import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { expectEnvelope, postJson } from './support/http.ts';
import { resetFaults, setFaults as setStackFaults } from './support/faults.ts';
import { sql } from './support/stack.ts';
import { waitFor } from './support/wait-for.ts';

const stack = inject('stack');
const paymentUrl = stack.urls.payment;
const db = sql(stack);

const chargeFor = (orderId = randomUUID(), extra: Record<string, unknown> = {}) => ({
  orderId,
  amountCents: 4200,
  currency: 'USD',
  method: 'card',
  holdMs: 60_000,
  ...extra,
});
const pay = (body: unknown) => postJson(`${paymentUrl}/payments`, body);
const voidCharge = (orderId: string) => postJson(`${paymentUrl}/payments/void`, { orderId });

function ledgerOf(orderId: string) {
  return db<{ status: string; captured: boolean; amount_cents: number | null }[]>`
    SELECT status, captured_at IS NOT NULL AS captured, amount_cents FROM payment_charges WHERE order_id = ${orderId}`;
}

async function metric(series: string): Promise<number> {
  const text = await (await fetch(`${paymentUrl}/metrics`)).text();
  return Number(new RegExp(`^${series} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

const setFaults = (faults: Record<string, number>) => setStackFaults(stack, 'payment', faults);

afterEach(() => resetFaults(stack, ['payment']));

afterAll(() => db.end());

describe('POST /payments', () => {
  it('charges once per order id: a repeat answers the same payment and charges nothing', async () => {
    const orderId = randomUUID();
    const succeeded = 'payments_total{status="succeeded",method="card",service="payment"}';
    const before = await metric(succeeded);
    const replies = await Promise.all([1, 2, 3].map(() => pay(chargeFor(orderId))));
    const bodies = (await Promise.all(replies.map((r) => r.json()))) as { payment?: unknown }[];
    // Concurrent repeats meet the first one processing (409) or finished (201); only one charge happens.
    expect(replies.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
    expect(replies.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const payments = bodies.filter((b) => b.payment).map((b) => JSON.stringify(b.payment));
    expect(new Set(payments).size).toBe(1);
    const again = await pay(chargeFor(orderId));
    expect(again.status).toBe(201);
    expect(JSON.stringify(((await again.json()) as { payment: unknown }).payment)).toBe(payments[0]);
    expect(await metric(succeeded)).toBe(before + 1);
    expect(await ledgerOf(orderId)).toEqual([{ status: 'succeeded', captured: false, amount_cents: 4200 }]);
  });

  it('refuses the same order id with another amount (409 order_id_reused)', async () => {
    const orderId = randomUUID();
    expect((await pay(chargeFor(orderId))).status).toBe(201);
    await expectEnvelope(await pay(chargeFor(orderId, { amountCents: 9_999 })), 409, 'order_id_reused');
  });

  it('declines the decline test token with 402, also when repeated', async () => {
    const orderId = randomUUID();
    for (let i = 0; i < 2; i++) {
      await expectEnvelope(await pay(chargeFor(orderId, { token: 'tok_decline' })), 402, 'payment_declined');
    }
    expect(await ledgerOf(orderId)).toEqual([{ status: 'declined', captured: false, amount_cents: 4200 }]);
  });

  it('fails every charge with 502 while the gateway fault is at 100 %, and counts them', async () => {
    await setFaults({ gatewayFailureRate: 1 });
    const failed = 'payments_total{status="failed",method="paypal",service="payment"}';
    const before = await metric(failed);
    for (let i = 0; i < 3; i++) {
      await expectEnvelope(
        await pay(chargeFor(undefined, { method: 'paypal' })),
        502,
        'payment_gateway_error',
      );
    }
    expect(await metric(failed)).toBe(before + 3);
  });

  it.each([
    ['a missing orderId', { ...chargeFor(), orderId: undefined }],
    ['an orderId that is not a uuid', { ...chargeFor(), orderId: '42' }],
    ['a zero amount', chargeFor(undefined, { amountCents: 0 })],
    ['a fractional amount', chargeFor(undefined, { amountCents: 10.5 })],
    ['a huge amount', chargeFor(undefined, { amountCents: 1e12 })],
    ['a lower-case currency', chargeFor(undefined, { currency: 'usd' })],
    ['an unknown method', chargeFor(undefined, { method: 'cash' })],
    ['an unknown field', chargeFor(undefined, { tip: 5 })],
    ['a missing holdMs', { ...chargeFor(), holdMs: undefined }],
    ['a holdMs below 500', chargeFor(undefined, { holdMs: 10 })],
  ])('rejects %s with 400', async (_, body) => {
    await expectEnvelope(await pay(body), 400, 'invalid_body');
  });
});

describe('POST /payments/void', () => {
  it('voids an uncaptured charge once; a repeat changes nothing', async () => {
    const orderId = randomUUID();
    await pay(chargeFor(orderId));
    const voids = 'payment_voids_total{trigger="api",service="payment"}';
    const before = await metric(voids);
    const replies = await Promise.all([1, 2].map(() => voidCharge(orderId)));
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    expect(((await replies[0]!.json()) as { payment: { status: string } }).payment.status).toBe('voided');
    expect(await metric(voids)).toBe(before + 1);
    expect(await ledgerOf(orderId)).toEqual([{ status: 'voided', captured: false, amount_cents: 4200 }]);
    // A repeated charge does not bring it back.
    await expectEnvelope(await pay(chargeFor(orderId)), 409, 'payment_voided');
  });

  it('closes an order id never charged, so a late charge takes nothing', async () => {
    const orderId = randomUUID();
    expect((await voidCharge(orderId)).status).toBe(200);
    await expectEnvelope(await pay(chargeFor(orderId)), 409, 'payment_voided');
    expect(await ledgerOf(orderId)).toEqual([{ status: 'voided', captured: false, amount_cents: null }]);
  });

  it('voids a charge still processing: it never succeeds', async () => {
    const orderId = randomUUID();
    const charging = pay(chargeFor(orderId));
    await waitFor(
      'the charge to be processing',
      async () => (await ledgerOf(orderId))[0]?.status === 'processing',
      {
        timeoutMs: 5_000,
        intervalMs: 5,
      },
    );
    expect((await voidCharge(orderId)).status).toBe(200);
    await expectEnvelope(await charging, 409, 'payment_voided');
    expect(await ledgerOf(orderId)).toEqual([{ status: 'voided', captured: false, amount_cents: 4200 }]);
  });

  it('refuses to void a captured charge (409 payment_captured)', async () => {
    const orderId = randomUUID();
    await pay(chargeFor(orderId));
    const [captured] = await db<{ ok: boolean }[]>`SELECT capture_payment_charge(${orderId}) AS ok`;
    expect(captured!.ok).toBe(true);
    await expectEnvelope(await voidCharge(orderId), 409, 'payment_captured');
    expect(await ledgerOf(orderId)).toEqual([{ status: 'succeeded', captured: true, amount_cents: 4200 }]);
    // Capturing twice is refused too: one order owns one charge.
    const [again] = await db<{ ok: boolean }[]>`SELECT capture_payment_charge(${orderId}) AS ok`;
    expect(again!.ok).toBe(false);
  });

  it('an uncaptured charge expires by itself after its hold', async () => {
    const orderId = randomUUID();
    expect((await pay(chargeFor(orderId, { holdMs: 500 }))).status).toBe(201);
    await waitFor('the charge to be voided', async () => (await ledgerOf(orderId))[0]?.status === 'voided', {
      timeoutMs: 5_000,
    });
    const [{ reason } = { reason: '' }] = await db<{ reason: string }[]>`
      SELECT reason FROM payment_charges WHERE order_id = ${orderId}`;
    expect(reason).toBe('authorization expired');
  });
});
