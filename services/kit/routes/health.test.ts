import { describe, expect, it } from 'vitest';
import { testApp } from '../testing/test-kit.ts';

describe('health and readiness', () => {
  it('answers /health while alive', async () => {
    const res = await testApp().app.request('/health');
    expect(await res.json()).toEqual({ status: 'ok', service: 'api' });
  });

  it('reports each dependency and answers 503 when one is down', async () => {
    const { app } = testApp({
      readiness: {
        postgres: async () => {},
        inventory: async () => {
          throw new Error('connect ECONNREFUSED');
        },
      },
    });
    const res = await app.request('/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'not_ready',
      checks: { postgres: 'ok', inventory: 'connect ECONNREFUSED' },
    });
  });

  it('counts a dependency that hangs as down', async () => {
    const { app } = testApp({ readiness: { postgres: () => new Promise(() => {}) } });
    const res = await app.request('/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'not_ready',
      checks: { postgres: 'no answer within 1500 ms' },
    });
  });
});
