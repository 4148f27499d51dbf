import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { csrf } from 'hono/csrf';
import type { z } from 'zod';
import { HttpError } from '../kit/index.ts';

/** "quantity: must be at least 1; email: must be a valid email address" */
export function describeProblems(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'form'}: ${issue.message}`).join('; ');
}

/** A posted form's fields (urlencoded or multipart); 400 when the body cannot be read. */
export async function readForm(c: Context): Promise<Record<string, unknown>> {
  return c.req.parseBody().catch(() => {
    throw new HttpError(400, 'invalid_form', 'The form body could not be read');
  });
}

const sameOriginCheck = csrf();

/**
 * Hono's CSRF check (the browser's Origin or Sec-Fetch-Site must name this shop) for forms that sign
 * in or out, answered with a page that says why instead of Hono's bare "Forbidden".
 */
export const ownFormsOnly: MiddlewareHandler = async (c, next) => {
  let passed = false;
  await sameOriginCheck(c, async () => {
    passed = true;
  }).catch((err: unknown) => {
    if (!(err instanceof HTTPException)) throw err;
  });
  if (!passed) {
    throw new HttpError(403, 'foreign_form', "This form is accepted only from the shop's own pages");
  }
  await next();
};
