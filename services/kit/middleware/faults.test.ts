import { describe, expect, it } from 'vitest';
import { testApp } from '../testing/test-kit.ts';

describe('injected faults', () => {
  it('answers about the configured share of business requests with 500, never the platform routes', async () => {
    const { app, setFaults } = testApp();
    await setFaults({ errorRate: 0.3 });
    let failures = 0;
    for (let i = 0; i < 500; i++) {
      const res = await app.request('/work');
      if (res.status === 500) failures++;
    }
    // 500 draws at p = 0.3: mean 150, standard deviation ~10; ±40 is four deviations.
    expect(failures).toBeGreaterThan(110);
    expect(failures).toBeLessThan(190);
    for (const path of ['/health', '/ready', '/metrics']) {
      for (let i = 0; i < 20; i++) expect((await app.request(path)).status, path).toBe(200);
    }
  });

  it('spares the paths the service names as fault-free', async () => {
    const { app, setFaults } = testApp({ faultFreePaths: /^\/status$/ });
    app.get('/status', (c) => c.text('up'));
    await setFaults({ errorRate: 1 });
    expect((await app.request('/status')).status).toBe(200);
    expect((await app.request('/work')).status).toBe(500);
  });

  it('adds the configured latency with jitter', async () => {
    const { app, setFaults } = testApp();
    await setFaults({ latencyMs: 150, latencyJitterMs: 50 });
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await app.request('/work');
      const took = performance.now() - started;
      expect(took).toBeGreaterThanOrEqual(148);
      expect(took).toBeLessThan(260);
    }
  });
});
