import { hkdfSync, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { z } from 'zod';
import type { Shopper } from './api-client.ts';

export const sessionCookieName = 'shopfast_session';
/** How long a sign-in lasts: a talk plus the rehearsal before it. */
export const sessionSeconds = 8 * 60 * 60;

export interface SessionKey {
  bytes: Uint8Array;
  /** Where it came from, for the start-up log line. */
  source: 'derived from ALERT_WEBHOOK_SECRET' | 'random for this process';
}

/**
 * The key that signs session cookies. Derived from ALERT_WEBHOOK_SECRET (HKDF-SHA256 with a label of
 * its own, so the cookie is never signed with the webhook's secret itself and sign-ins survive a
 * restart of the frontend); without that secret, a random key: sign-ins then end with the process.
 */
export function sessionKeyFrom(webhookSecret: string | undefined): SessionKey {
  if (!webhookSecret) return { bytes: randomBytes(32), source: 'random for this process' };
  const derived = hkdfSync('sha256', webhookSecret, 'shopfast', 'frontend session cookie', 32);
  return { bytes: new Uint8Array(derived), source: 'derived from ALERT_WEBHOOK_SECRET' };
}

const sessionValue = z.object({
  email: z.string(),
  name: z.string(),
  /** Epoch milliseconds: the signature cannot be replayed past it, whatever the browser keeps. */
  expiresAt: z.number(),
});

const encode = (value: z.infer<typeof sessionValue>) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

function decode(text: string): z.infer<typeof sessionValue> | undefined {
  try {
    const parsed = sessionValue.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The signed-in shopper, kept in a cookie signed with Hono's signed-cookie helpers (HMAC-SHA256):
 * HttpOnly, SameSite=Lax, not Secure because the demo serves plain HTTP on localhost.
 */
export class Sessions {
  constructor(
    private readonly key: SessionKey,
    private readonly now: () => number = Date.now,
  ) {}

  async start(c: Context, shopper: Shopper): Promise<void> {
    const value = encode({ ...shopper, expiresAt: this.now() + sessionSeconds * 1000 });
    await setSignedCookie(c, sessionCookieName, value, this.key.bytes, {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: sessionSeconds,
    });
  }

  /** undefined when there is no cookie, or it is unsigned, tampered with, unreadable or expired. */
  async current(c: Context): Promise<Shopper | undefined> {
    const signed = await getSignedCookie(c, this.key.bytes, sessionCookieName);
    const session = signed ? decode(signed) : undefined;
    if (!session || session.expiresAt <= this.now()) return undefined;
    return { email: session.email, name: session.name };
  }

  end(c: Context): void {
    deleteCookie(c, sessionCookieName, { path: '/' });
  }
}
