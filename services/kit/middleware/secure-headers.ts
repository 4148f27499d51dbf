import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;
export type ContentSecurityPolicy = NonNullable<SecureHeadersOptions['contentSecurityPolicy']>;

/** For services that answer JSON and metrics only: nothing may load, nothing may frame them. */
export const apiOnlyPolicy: ContentSecurityPolicy = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * Hono's secure headers on every response (nosniff, frame and referrer policies, HSTS, ...) and a
 * Content-Security-Policy: the JSON services' closed one unless the service brings its own options.
 */
export function secureResponses(
  options: SecureHeadersOptions = { contentSecurityPolicy: apiOnlyPolicy },
): MiddlewareHandler {
  return secureHeaders(options);
}
