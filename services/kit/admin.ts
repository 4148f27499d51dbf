import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { KitEnv } from './context.ts';
import { HttpError } from './errors.ts';

/** Compares a secret someone sent with the expected one in constant time. */
export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Guards /admin/*: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
export function requireAdminToken(adminToken: string | undefined): MiddlewareHandler<KitEnv> {
  return async (c, next) => {
    if (!adminToken) {
      throw new HttpError(
        401,
        'admin_disabled',
        'ADMIN_TOKEN is not set on this service, so /admin is closed',
      );
    }
    const header = c.req.header('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!sameToken(given, adminToken)) {
      throw new HttpError(401, 'unauthorized', 'Send Authorization: Bearer <ADMIN_TOKEN>');
    }
    await next();
  };
}
