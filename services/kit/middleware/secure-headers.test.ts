import { describe, expect, it } from 'vitest';
import { testApp } from '../testing/test-kit.ts';

describe('secure headers', () => {
  it('closes everything on a JSON service, on answers, errors and unknown routes alike', async () => {
    const { app } = testApp();
    app.get('/boom', () => {
      throw new Error('kaboom');
    });
    // /admin/faults without a token: the 401 that Hono's bearer auth builds itself.
    for (const path of ['/work', '/boom', '/nowhere', '/metrics', '/admin/faults']) {
      const res = await app.request(path);
      expect(res.headers.get('content-security-policy'), path).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });

  it("sends the service's own policy when it brings one", async () => {
    const { app } = testApp({
      secureHeaders: { contentSecurityPolicy: { defaultSrc: ["'self'"], styleSrc: ["'self'"] } },
    });
    const res = await app.request('/work');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'self'; style-src 'self'");
  });
});
