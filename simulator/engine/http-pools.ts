import { Pool } from 'undici';

export interface HttpRequest {
  /** e.g. http://127.0.0.1:8080 */
  origin: string;
  /** path and query, e.g. /api/products */
  path: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Keep the response text (otherwise it is read and discarded, which is cheaper). */
  readBody?: boolean;
}

export interface HttpResponse {
  /** 0 when no response arrived (connection refused, reset, timeout). */
  status: number;
  body: string;
  /** Why no response arrived, when status is 0. */
  failure?: string;
}

export interface HttpPoolOptions {
  connectionsPerOrigin: number;
  /** Headers and body timeouts of a single request. */
  requestTimeoutMs: number;
}

/** One keep-alive undici Pool per origin, so journeys reuse connections instead of reconnecting. */
export class HttpPools {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: HttpPoolOptions) {}

  async send(request: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    }
    try {
      const response = await this.poolFor(request.origin).request({
        path: request.path,
        method: request.method ?? 'GET',
        headers,
        body,
        signal,
      });
      if (request.readBody) return { status: response.statusCode, body: await response.body.text() };
      await response.body.dump();
      return { status: response.statusCode, body: '' };
    } catch (error) {
      return { status: 0, body: '', failure: describeFailure(error) };
    }
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }

  private poolFor(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.options.connectionsPerOrigin,
        keepAliveTimeout: 30_000,
        headersTimeout: this.options.requestTimeoutMs,
        bodyTimeout: this.options.requestTimeoutMs,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.name;
  }
  return String(error);
}
