import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The X-Forwarded-For the frontend sends the api for a shopper's request: what reached it, plus the
 * browser's own address, as a proxy appends it. The api records the first entry as the client.
 * undefined when there is neither (requests made in-process, as unit tests do).
 */
export function forwardedFor(c: Context): string | undefined {
  const received = c.req.header('x-forwarded-for')?.trim();
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    peer = undefined; // not served by @hono/node-server
  }
  return [received, peer].filter(Boolean).join(', ') || undefined;
}
