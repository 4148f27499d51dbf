import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** An error a handler throws on purpose: it becomes the JSON envelope with this status and code. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
