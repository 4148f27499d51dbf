import type { MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { StageRefusal } from './refusal.ts';

const wildcardHosts = new Set(['0.0.0.0', '::', '[::]']);
const loopbackNames = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The Host names the page may be reached by: the loopback names and the address it listens on, with
 * its port. A page on another name could be a DNS-rebinding attack; listening on every interface
 * (--host 0.0.0.0, as in a container), any name is accepted.
 */
export function allowedHosts(listenHost: string, port: number): Set<string> | null {
  if (wildcardHosts.has(listenHost)) return null;
  const bracketed = listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost;
  return new Set([...loopbackNames, bracketed].map((name) => `${name}:${port}`));
}

/** `hosts()` is read per request: the port is known only once the server listens. */
export function hostGuard(hosts: () => Set<string> | null): MiddlewareHandler {
  return async function hostGuard(c, next) {
    const host = c.req.header('host') ?? '';
    const allowed = hosts();
    if (allowed && !allowed.has(host.toLowerCase())) {
      throw new StageRefusal(
        403,
        'unknown_host',
        `this stage answers as ${[...allowed].join(' or ')}, not "${host}"`,
      );
    }
    await next();
  };
}

/**
 * Changes come only from the page itself: a request whose Origin is not this server's (or that the
 * browser marks cross-site) is refused before anything runs. Requests without an Origin (curl) pass
 * on to the token check.
 */
export function sameOriginGuard(): MiddlewareHandler {
  return async function sameOriginGuard(c, next) {
    const origin = c.req.header('origin');
    const own = `http://${c.req.header('host') ?? ''}`;
    const site = c.req.header('sec-fetch-site');
    if (
      (origin !== undefined && origin !== own) ||
      (site !== undefined && !['same-origin', 'none'].includes(site))
    ) {
      throw new StageRefusal(
        403,
        'cross_origin',
        `controls accept requests from the stage page only (${own}), not from ${origin ?? site}`,
      );
    }
    await next();
  };
}

/** The admin token, as the services check it (hono's bearer auth, compared in constant time). */
export function tokenGuard(token: string | undefined): MiddlewareHandler {
  if (!token) {
    return async function tokenGuard() {
      throw new StageRefusal(
        503,
        'no_admin_token',
        'the stage has no admin token: start it with ADMIN_TOKEN set (or --admin-token)',
      );
    };
  }
  const refusal = (code: string, text: string) => ({ message: { error: { code, message: text } } });
  return bearerAuth({
    token,
    noAuthenticationHeader: refusal(
      'token_required',
      'enter the admin token (ADMIN_TOKEN) to use the controls',
    ),
    invalidAuthenticationHeader: refusal('bad_token', 'the token is malformed: paste ADMIN_TOKEN as it is'),
    invalidToken: refusal(
      'wrong_token',
      'wrong admin token: nothing was changed; enter the stack’s ADMIN_TOKEN',
    ),
  });
}
