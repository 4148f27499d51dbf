import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { KitEnv } from './context.ts';
import { isDatabaseUnavailable } from './db-unavailable.ts';
import { HttpError } from './http-error.ts';

/** The JSON body of every error a service answers: what went wrong, and the request id to find it by. */
export interface ErrorEnvelope {
  error: { code: string; message: string };
  requestId: string;
}

export function errorResponse(
  c: Context<KitEnv>,
  status: ContentfulStatusCode,
  code: string,
  message: string,
) {
  const body: ErrorEnvelope = { error: { code, message }, requestId: c.get('requestId') };
  return c.json(body, status);
}

const codeForStatus: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Every error, expected or not, leaves as the envelope; only unexpected ones are logged at error level. */
export const handleError: ErrorHandler<KitEnv> = (err, c) => {
  if (err instanceof HttpError) {
    if (err.status >= 500) c.get('logger').error({ code: err.code, status: err.status }, err.message);
    return errorResponse(c, err.status, err.code, err.message);
  }
  if (err instanceof HTTPException) {
    // Middleware that builds its own answer (bearer auth with its WWW-Authenticate) hands it over as res.
    if (err.res) return err.getResponse();
    const status = err.status as ContentfulStatusCode;
    return errorResponse(c, status, codeForStatus[status] ?? 'http_error', err.message || 'Request failed');
  }
  if (isDatabaseUnavailable(err)) {
    c.get('logger').error({ err }, 'database unavailable');
    return errorResponse(c, 503, 'database_unavailable', 'The database is unreachable; try again shortly');
  }
  c.get('logger').error({ err }, 'unhandled error');
  return errorResponse(c, 500, 'internal_error', 'Something went wrong; the request id is in the logs');
};

export const handleNotFound: NotFoundHandler<KitEnv> = (c) =>
  errorResponse(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`);
