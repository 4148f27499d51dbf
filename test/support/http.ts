import { expect } from 'vitest';

/** POSTs a JSON body; a string is sent as it is, so tests can send malformed JSON. */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Asserts the kit's error envelope: status, code, a message and the echoed request id; returns the message. */
export async function expectEnvelope(response: Response, status: number, code: string): Promise<string> {
  const body = (await response.json()) as { error: { code: string; message: string }; requestId: string };
  expect({ status: response.status, code: body.error?.code }).toEqual({ status, code });
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(body.requestId).toBe(response.headers.get('x-request-id'));
  return body.error.message;
}
