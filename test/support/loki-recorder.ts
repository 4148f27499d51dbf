import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A stand-in for Loki's push API, for tests: it records what the services push (pino-loki sends
 * uncompressed JSON to POST /loki/api/v1/push; gzip is accepted too) and shows it on GET /recorded.
 * Loki itself cannot run on the test machine.
 */

export interface RecordedLogEntry {
  /** The stream labels: service, env, level, hostname with the service kit's logger. */
  labels: Record<string, string>;
  /** The log line as pushed (pino's JSON). */
  line: string;
  /** Loki's timestamp: nanoseconds since the epoch, as a decimal string. */
  timeNs: string;
  /** Structured metadata, when the pusher sent any. */
  metadata?: Record<string, string>;
}

export interface LokiRecorder {
  url: string;
  /** Everything recorded so far, optionally only one service's lines. */
  entries(service?: string): RecordedLogEntry[];
  clear(): void;
  close(): Promise<void>;
}

const maxBodyBytes = 16 * 1024 * 1024;

class BadPush extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startLokiRecorder(port = 0): Promise<LokiRecorder> {
  const recorded: RecordedLogEntry[] = [];
  const entries = (service?: string) =>
    service === undefined ? [...recorded] : recorded.filter((e) => e.labels.service === service);

  const server = createServer((req, res) => {
    handle(req, res, recorded, entries).catch((err: unknown) => {
      const status = err instanceof BadPush ? err.status : 500;
      send(res, status, 'text/plain', err instanceof Error ? err.message : String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: boundPort } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${boundPort}`,
    entries,
    clear: () => void recorded.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  recorded: RecordedLogEntry[],
  entries: (service?: string) => RecordedLogEntry[],
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://recorder');
  const route = `${req.method} ${url.pathname}`;
  if (route === 'GET /ready') return send(res, 200, 'text/plain', 'ready');
  if (route === 'POST /loki/api/v1/push') {
    recorded.push(...parsePush(await readBody(req)));
    return send(res, 204);
  }
  if (route === 'GET /recorded') {
    const service = url.searchParams.get('service') ?? undefined;
    return send(res, 200, 'application/json', JSON.stringify(entries(service)));
  }
  if (route === 'DELETE /recorded') {
    recorded.splice(0);
    return send(res, 204);
  }
  send(res, 404, 'text/plain', `no route for ${route}`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) {
    // Real Loki also takes snappy-compressed protobuf; pino-loki never sends it.
    throw new BadPush(415, `only application/json pushes are recorded, got "${type}"`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new BadPush(413, `push body over ${maxBodyBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  const encoding = req.headers['content-encoding'];
  if (encoding === 'gzip') {
    try {
      return gunzipSync(body).toString('utf8');
    } catch {
      throw new BadPush(400, 'body is not valid gzip');
    }
  }
  if (encoding && encoding !== 'identity') throw new BadPush(415, `unsupported content-encoding ${encoding}`);
  return body.toString('utf8');
}

/** Checks the push shape Loki documents: {streams: [{stream: {label: value}, values: [[ns, line, meta?]]}]}. */
export function parsePush(body: string): RecordedLogEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new BadPush(400, 'body is not JSON');
  }
  const streams = isObject(parsed) ? parsed.streams : undefined;
  if (!Array.isArray(streams)) throw new BadPush(400, 'body needs a "streams" array');
  return streams.flatMap((stream: unknown, i) => {
    if (!isObject(stream) || !isStringRecord(stream.stream) || !Array.isArray(stream.values)) {
      throw new BadPush(400, `streams[${i}] needs a "stream" object of string labels and a "values" array`);
    }
    const labels = stream.stream;
    return stream.values.map((value: unknown, j) => {
      const where = `streams[${i}].values[${j}]`;
      if (!Array.isArray(value) || value.length < 2 || value.length > 3) {
        throw new BadPush(400, `${where} must be [timestamp, line] or [timestamp, line, metadata]`);
      }
      const [timeNs, line, metadata] = value as unknown[];
      if (typeof timeNs !== 'string' || !/^\d+$/.test(timeNs)) {
        throw new BadPush(400, `${where}: the timestamp must be a string of nanoseconds`);
      }
      if (typeof line !== 'string') throw new BadPush(400, `${where}: the line must be a string`);
      if (metadata !== undefined && !isStringRecord(metadata)) {
        throw new BadPush(400, `${where}: structured metadata must be an object of strings`);
      }
      return { labels, line, timeNs, ...(metadata ? { metadata } : {}) };
    });
  });
}

function send(res: ServerResponse, status: number, type?: string, body?: string): void {
  res.writeHead(status, type ? { 'content-type': type } : {});
  res.end(body);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isObject(value) && Object.values(value).every((v) => typeof v === 'string');
}
