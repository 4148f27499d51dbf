import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { KitEnv } from '../context.ts';
import { HttpError } from '../http-error.ts';

export interface BodyLimitOptions {
  maxBytes: number;
  /** Paths that may receive more, e.g. Grafana's webhook with many alerts. */
  large?: { paths: RegExp; maxBytes: number };
}

function limitTo(maxBytes: number): MiddlewareHandler<KitEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HttpError(413, 'payload_too_large', `Request bodies are limited to ${maxBytes / 1024} KB`);
    },
  });
}

/** Hono's body limit (413 in the kit's envelope), with a higher one for the paths named as large. */
export function limitBodies(options: BodyLimitOptions): MiddlewareHandler<KitEnv> {
  const normal = limitTo(options.maxBytes);
  const large = options.large ? limitTo(options.large.maxBytes) : normal;
  return function limitBodies(c, next) {
    // GET and HEAD carry no body; skipping them also spares @hono/node-server building a full Request
    // (with its AbortController) just to find the body missing, which cost a quarter of GET throughput.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return (options.large?.paths.test(c.req.path) ? large : normal)(c, next);
  };
}
