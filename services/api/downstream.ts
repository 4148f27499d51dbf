import { request, type Dispatcher } from 'undici';
import { deadlineHeaders, HttpError, tracedCall } from '../kit/index.ts';

export interface DownstreamReply {
  status: number;
  /** The parsed JSON body, or undefined when the body was not JSON. */
  body: unknown;
}

/** A service the api calls over HTTP (inventory, payment). */
export interface Downstream {
  readonly name: string;
  /**
   * POSTs JSON with the caller's request id, so the two services' log lines correlate, and waits
   * at most timeoutMs, telling the callee a little less (see kit/deadline.ts). Any answer comes
   * back as a reply; no answer at all (refused, reset, timed out) throws a 503 HttpError.
   */
  post(path: string, body: unknown, call: DownstreamCall): Promise<DownstreamReply>;
  /** Resolves when GET /health answers 200; for the api's readiness check. */
  health(): Promise<void>;
}

export interface DownstreamCall {
  requestId: string;
  timeoutMs: number;
}

export interface DownstreamOptions {
  name: string;
  baseUrl: string;
  /** Keep-alive connection pool shared by the api's downstream calls. */
  dispatcher: Dispatcher;
}

const healthTimeoutMs = 1_000;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The code and message of an error envelope, each when the downstream answered with one. */
export function envelopeOf(body: unknown): { code?: string; message?: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return {
    ...(typeof error?.code === 'string' ? { code: error.code } : {}),
    ...(typeof error?.message === 'string' ? { message: error.message } : {}),
  };
}

export function createDownstream({ name, baseUrl, dispatcher }: DownstreamOptions): Downstream {
  async function call(
    method: 'GET' | 'POST',
    path: string,
    timeout: number,
    init: { body?: string; requestId?: string },
  ) {
    const headers: Record<string, string> = deadlineHeaders(timeout);
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.requestId) headers['x-request-id'] = init.requestId;
    const url = new URL(path, baseUrl);
    try {
      return await tracedCall({ peer: name, method, url, route: path }, headers, async () => {
        const res = await request(url, {
          method,
          headers,
          body: init.body,
          dispatcher,
          signal: AbortSignal.timeout(timeout),
        });
        // Reading the body to the end hands the connection back to the keep-alive pool.
        return { status: res.statusCode, body: parseJson(await res.body.text()) };
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new HttpError(503, `${name}_unavailable`, `The ${name} service did not answer: ${reason}`);
    }
  }

  return {
    name,
    post: (path, body, { requestId, timeoutMs }) =>
      call('POST', path, timeoutMs, { body: JSON.stringify(body), requestId }),
    health: async () => {
      const reply = await call('GET', '/health', healthTimeoutMs, {});
      if (reply.status !== 200) throw new Error(`${name} /health answered ${reply.status}`);
    },
  };
}
