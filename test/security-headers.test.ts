import { describe, expect, inject, it } from 'vitest';

// Every page of the stack's frontend, the error pages included, carries the security headers
// (status-page.test.ts checks in Chromium that the pages work under that CSP).
const stack = inject('stack');
const frontend = stack.urls.frontend;

const pages: [string, number][] = [
  ['/', 200],
  ['/products/SF-1001', 200],
  ['/cart', 200],
  ['/cart?sku=SF-1002&quantity=2', 200],
  ['/status', 200],
  ['/status/banner', 200],
  ['/login', 200],
  ['/login/attempts', 200],
  ['/login/attempts/live', 200],
  ['/docs/README.md', 200],
  ['/docs/TROUBLESHOOTING.md', 200],
  ['/docs/TALK_NOTES.md', 200],
  ['/products/SF-9999', 404],
  ['/cart?quantity=lots', 400],
  ['/no-such-page', 404],
];

describe('security headers', () => {
  it.each(pages)('GET %s (%i) carries the CSP and the other secure headers', async (path, status) => {
    const response = await fetch(`${frontend}${path}`);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none'; /);
    expect(csp).toContain("script-src 'sha256-");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    expect(response.headers.has('x-powered-by')).toBe(false);
  });
});
