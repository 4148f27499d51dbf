import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip.ts';

const app = new Hono().get('/ip', (c) => c.text(clientIp(c)));
const ipFor = async (forwardedFor?: string) =>
  (await app.request('/ip', { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} })).text();

describe('clientIp', () => {
  it('takes the first X-Forwarded-For entry', async () => {
    expect(await ipFor('203.0.113.7, 10.0.0.1, 10.0.0.2')).toBe('203.0.113.7');
    expect(await ipFor(' 2001:db8::5 ')).toBe('2001:db8::5');
  });

  it('ignores an entry that is not an IP address and falls back to the socket (none in-process)', async () => {
    expect(await ipFor("'; DROP TABLE login_attempts; --")).toBe('unknown');
    expect(await ipFor()).toBe('unknown');
  });
});
