import type { Context, MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import type { KitEnv } from '../context.ts';
import { errorResponse } from '../error-envelope.ts';
import { HttpError } from '../http-error.ts';

export interface TokenAuthOptions {
  /** The shared secret; unset keeps the routes closed. */
  token: string | undefined;
  /** Answered with 401 while no token is set, e.g. `admin_disabled`. */
  closedCode: string;
  /** Why the routes are closed, e.g. "ADMIN_TOKEN is not set on this service, so /admin is closed". */
  closedMessage: string;
  /** How to send the token, for the 401 message. */
  hint: string;
  /** A header that may carry the bare token instead of `Authorization: Bearer`, e.g. X-Webhook-Secret. */
  ownHeader?: string;
}

/**
 * Hono's bearer auth (constant-time comparison, WWW-Authenticate challenge) answering in the kit's
 * error envelope: the admin API and the frontend's alert webhook both stand behind it.
 */
export function requireToken(options: TokenAuthOptions): MiddlewareHandler<KitEnv> {
  const { token, ownHeader } = options;
  if (!token) {
    return async function requireToken() {
      throw new HttpError(401, options.closedCode, options.closedMessage);
    };
  }
  const answer = (status: 400 | 401, code: string, message: string) => ({
    // bearerAuth types its callback's context without the kit's variables; the request id is there.
    message: (c: Context) => errorResponse(c as unknown as Context<KitEnv>, status, code, message),
  });
  const failures = {
    noAuthenticationHeader: answer(401, 'unauthorized', options.hint),
    invalidAuthenticationHeader: answer(400, 'bad_request', `Malformed token: ${options.hint}`),
    invalidToken: answer(401, 'unauthorized', options.hint),
  };
  const bearer = bearerAuth<KitEnv>({ token, ...failures });
  const own = ownHeader
    ? bearerAuth<KitEnv>({ token, headerName: ownHeader, prefix: '', ...failures })
    : bearer;
  return function requireToken(c, next) {
    return ownHeader && c.req.header(ownHeader) ? own(c, next) : bearer(c, next);
  };
}
