import { describe, expect, it } from 'vitest';
import { testApp } from '../testing/test-kit.ts';

const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('fault admin API', () => {
  it('refuses requests without the admin token', async () => {
    const { app, setFaults } = testApp();
    expect((await app.request('/admin/faults')).status).toBe(401);
    const wrong = await setFaults({ errorRate: 1 }, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(await codeOf(wrong)).toBe('unauthorized');
    expect((await app.request('/work')).status).toBe(200);
  });

  it('stays closed when no admin token is configured', async () => {
    const { app } = testApp({ env: { ADMIN_TOKEN: '' } });
    const res = await app.request('/admin/faults', { headers: { authorization: 'Bearer ' } });
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('admin_disabled');
  });

  it.each([
    [{ errorRate: 1.5 }],
    [{ errorRate: -0.1 }],
    [{ latencyMs: 40_000 }],
    [{ latencyMs: 'slow' }],
    [{ gatewayFailureRate: 0.5 }],
    [{ somethingElse: 1 }],
    [{ errorRate: 0.1, ttlSeconds: 0 }],
    [{ errorRate: 0.1, ttlSeconds: 3_601 }],
    [{ errorRate: 0.1, ttlSeconds: 1.5 }],
  ])('rejects %j with a 400', async (faults) => {
    const res = await testApp().setFaults(faults);
    expect(res.status).toBe(400);
    expect(await codeOf(res)).toBe('invalid_body');
  });

  it('accepts the gateway fault on payment, the service with a gateway', async () => {
    const res = await testApp({ service: 'payment' }).setFaults({ gatewayFailureRate: 0.5 });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { faults: { gatewayFailureRate: number } }).faults.gatewayFailureRate).toBe(
      0.5,
    );
  });

  it('shows each fault that is on with its expiry, in GET and fault_active, and reset clears them all', async () => {
    const { admin, setFaults, metricsText } = testApp({ service: 'payment' });
    await setFaults({ errorRate: 0.2, latencyMs: 5, ttlSeconds: 60 });
    const shown = (await (await admin('/admin/faults')).json()) as {
      faults: Record<string, number>;
      expiresAt: Record<string, string>;
    };
    expect(shown.faults).toMatchObject({ errorRate: 0.2, latencyMs: 5, cpuBurn: 0, gatewayFailureRate: 0 });
    expect(Object.keys(shown.expiresAt).sort()).toEqual(['errorRate', 'latencyMs']);
    expect(await metricsText()).toMatch(/^fault_active\{kind="errorRate",service="payment"\} 1$/m);
    expect(await metricsText()).toMatch(/^fault_active\{kind="latencyMs",service="payment"\} 1$/m);

    const reset = await admin('/admin/faults/reset', { method: 'POST' });
    expect(await reset.json()).toEqual({
      service: 'payment',
      faults: { errorRate: 0, latencyMs: 0, latencyJitterMs: 0, cpuBurn: 0, gatewayFailureRate: 0 },
      expiresAt: {},
    });
    expect(await metricsText()).toMatch(/^fault_active\{kind="errorRate",service="payment"\} 0$/m);
  });
});
