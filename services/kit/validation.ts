import { validator } from 'hono/validator';
import type { z } from 'zod';
import { HttpError } from './http-error.ts';

const jsonMediaType = /^application\/([\w.-]+\+)?json$/i;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/**
 * Validates a JSON body against a zod schema: 415 when it is not JSON, 400 (from Hono) when it does
 * not parse, 400 with every problem named when it does not fit the schema.
 */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return validator('json', (value, c) => {
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!jsonMediaType.test(mediaType)) {
      throw new HttpError(415, 'unsupported_media_type', 'Send the body as application/json');
    }
    const result = schema.safeParse(value);
    if (!result.success) throw new HttpError(400, 'invalid_body', describeIssues(result.error));
    return result.data as z.output<T>;
  });
}

/** Validates path parameters the same way, answering 400 with the problem named. */
export function params<T extends z.ZodType>(schema: T) {
  return validator('param', (value) => {
    const result = schema.safeParse(value);
    if (!result.success) throw new HttpError(400, 'invalid_parameter', describeIssues(result.error));
    return result.data as z.output<T>;
  });
}
