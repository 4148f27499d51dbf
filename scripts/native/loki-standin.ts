import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import {
  evaluateInstant,
  evaluateLogQuery,
  longestRangeMs,
  parseMetricQuery,
  parseQuery,
  UnsupportedQuery,
  type LogEntry,
  type Sample,
  type Stream,
} from './loki-standin-logql.ts';

/**
 * A stand-in for Loki where no real one runs (the native stack, the tests). It records what the
 * services push (pino-loki sends uncompressed JSON to POST /loki/api/v1/push; gzip is accepted
 * too), shows it on GET /recorded, and answers instant metric queries (GET /loki/api/v1/query) and
 * log queries over a range (GET /loki/api/v1/query_range) over it for the LogQL the alert rules and
 * the docs use (see loki-standin-logql.ts), in Loki's answer shape.
 * Memory stays bounded: entries more than the longest supported range older than the newest one
 * are dropped, and at most maxEntries are kept.
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

export interface LokiStandIn {
  url: string;
  /** Everything recorded so far, optionally only one service's lines. */
  entries(service?: string): RecordedLogEntry[];
  clear(): void;
  close(): Promise<void>;
}

const maxBodyBytes = 16 * 1024 * 1024;
const maxEntries = 200_000;
const longestRangeNs = BigInt(longestRangeMs) * 1_000_000n;

/**
 * The labels a real Loki 3 adds on ingest and answers with (see /work/shared/fixtures/loki):
 * `service_name` from `service`, `detected_level` from `level`.
 */
function withIngestLabels(labels: Record<string, string>): Record<string, string> {
  return {
    ...labels,
    ...(labels.service ? { service_name: labels.service } : {}),
    ...(labels.level ? { detected_level: labels.level } : {}),
  };
}

/** What is kept: the entry as recorded, and for queries with its timestamp as a number and Loki's labels. */
class EntryStore {
  private kept: { recorded: RecordedLogEntry; entry: LogEntry }[] = [];
  private newestNs = 0n;

  add(entries: RecordedLogEntry[]): void {
    for (const recorded of entries) {
      const timeNs = BigInt(recorded.timeNs);
      if (timeNs > this.newestNs) this.newestNs = timeNs;
      this.kept.push({
        recorded,
        entry: { labels: withIngestLabels(recorded.labels), line: recorded.line, timeNs },
      });
    }
    const oldestKept = this.newestNs - longestRangeNs;
    if (this.kept.length > maxEntries || this.kept.some((k) => k.entry.timeNs < oldestKept)) {
      this.kept = this.kept.filter((k) => k.entry.timeNs >= oldestKept).slice(-maxEntries);
    }
  }

  recorded(service?: string): RecordedLogEntry[] {
    return this.kept
      .map((k) => k.recorded)
      .filter((e) => service === undefined || e.labels.service === service);
  }

  entries(): LogEntry[] {
    return this.kept.map((k) => k.entry);
  }

  clear(): void {
    this.kept = [];
    this.newestNs = 0n;
  }
}

class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Listens on 127.0.0.1 (port 0: a free one). */
export async function startLokiStandIn(port = 0): Promise<LokiStandIn> {
  const store = new EntryStore();
  const server = createServer((req, res) => {
    handle(req, res, store).catch((err: unknown) => {
      const status = err instanceof BadRequest ? err.status : 500;
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
    entries: (service) => store.recorded(service),
    clear: () => store.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, store: EntryStore): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const route = `${req.method} ${url.pathname}`;
  if (route === 'GET /ready') return send(res, 200, 'text/plain', 'ready');
  if (route === 'POST /loki/api/v1/push') {
    store.add(parsePush(await readBody(req)));
    return send(res, 204);
  }
  if (route === 'GET /loki/api/v1/query') return answerInstantQuery(res, url.searchParams, store);
  if (route === 'GET /loki/api/v1/query_range') return answerLogQuery(res, url.searchParams, store);
  if (route === 'GET /recorded') {
    const service = url.searchParams.get('service') ?? undefined;
    return send(res, 200, 'application/json', JSON.stringify(store.recorded(service)));
  }
  if (route === 'DELETE /recorded') {
    store.clear();
    return send(res, 204);
  }
  send(res, 404, 'text/plain', `no route for ${route}`);
}

/** Loki's `time`: nanoseconds (or seconds when 10 digits or fewer), seconds with a fraction, or RFC 3339. */
export function parseQueryTime(text: string | null, nowMs = Date.now()): bigint {
  if (text === null || text === '') return BigInt(nowMs) * 1_000_000n;
  if (/^\d+$/.test(text)) return text.length <= 10 ? BigInt(text) * 1_000_000_000n : BigInt(text);
  if (/^\d+\.\d+$/.test(text)) return BigInt(Math.round(Number(text) * 1e6)) * 1000n;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new BadRequest(400, `invalid time "${text}": nanoseconds, seconds or RFC 3339`);
  return BigInt(ms) * 1_000_000n;
}

function answerInstantQuery(res: ServerResponse, params: URLSearchParams, store: EntryStore): void {
  const query = params.get('query');
  if (!query) throw new BadRequest(400, 'query parameter "query" is required');
  const atNs = parseQueryTime(params.get('time'));
  let samples: Sample[];
  try {
    samples = evaluateInstant(parseMetricQuery(query), store.entries(), atNs);
  } catch (err) {
    if (err instanceof UnsupportedQuery) throw new BadRequest(400, err.message);
    throw err;
  }
  send(res, 200, 'application/json', JSON.stringify(instantAnswer(samples, atNs)));
}

const defaultLogLimit = 100;
const maxLogLimit = 5000;

/** A log query over [start, end] (default: the hour before now), as Grafana's Explore asks for lines. */
function answerLogQuery(res: ServerResponse, params: URLSearchParams, store: EntryStore): void {
  const query = params.get('query');
  if (!query) throw new BadRequest(400, 'query parameter "query" is required');
  const endNs = parseQueryTime(params.get('end'));
  const startNs = params.get('start') ? parseQueryTime(params.get('start')) : endNs - 3600n * 1_000_000_000n;
  const limit = Number(params.get('limit') ?? defaultLogLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLogLimit)
    throw new BadRequest(400, `limit must be a whole number from 1 to ${maxLogLimit}`);
  const direction = params.get('direction') ?? 'backward';
  if (direction !== 'backward' && direction !== 'forward')
    throw new BadRequest(400, 'direction must be backward or forward');
  let streams: Stream[];
  try {
    const parsed = parseQuery(query);
    if (parsed.kind !== 'log') {
      throw new UnsupportedQuery(
        `unsupported by the Loki stand-in: a metric query over a range (ask /loki/api/v1/query) ("${query}")`,
      );
    }
    streams = evaluateLogQuery(parsed, store.entries(), { startNs, endNs, limit, direction });
  } catch (err) {
    if (err instanceof UnsupportedQuery) throw new BadRequest(400, err.message);
    throw err;
  }
  send(res, 200, 'application/json', JSON.stringify(streamsAnswer(streams)));
}

/** Loki's answer to a log query: each stream's labels and its [nanoseconds, line] pairs, as strings. */
export function streamsAnswer(streams: Stream[]): object {
  return {
    status: 'success',
    data: {
      resultType: 'streams',
      result: streams.map((s) => ({
        stream: s.labels,
        values: s.entries.map((e) => [String(e.timeNs), e.line]),
      })),
      stats: { summary: { totalEntriesReturned: streams.reduce((n, s) => n + s.entries.length, 0) } },
    },
  };
}

/**
 * Loki's answer to an instant metric query: values as strings, the timestamp in seconds with
 * millisecond fraction (see /work/shared/fixtures/loki). Of Loki's stats only the summary is sent.
 */
export function instantAnswer(samples: Sample[], atNs: bigint): object {
  const atSeconds = Number(atNs / 1_000_000n) / 1000;
  return {
    status: 'success',
    data: {
      resultType: 'vector',
      result: samples.map((s) => ({ metric: s.metric, value: [atSeconds, String(s.value)] })),
      stats: { summary: { totalEntriesReturned: samples.length } },
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) {
    // Real Loki also takes snappy-compressed protobuf; pino-loki never sends it.
    throw new BadRequest(415, `only application/json pushes are recorded, got "${type}"`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new BadRequest(413, `push body over ${maxBodyBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  const encoding = req.headers['content-encoding'];
  if (encoding === 'gzip') {
    try {
      return gunzipSync(body).toString('utf8');
    } catch {
      throw new BadRequest(400, 'body is not valid gzip');
    }
  }
  if (encoding && encoding !== 'identity')
    throw new BadRequest(415, `unsupported content-encoding ${encoding}`);
  return body.toString('utf8');
}

/** Checks the push shape Loki documents: {streams: [{stream: {label: value}, values: [[ns, line, meta?]]}]}. */
export function parsePush(body: string): RecordedLogEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new BadRequest(400, 'body is not JSON');
  }
  const streams = isObject(parsed) ? parsed.streams : undefined;
  if (!Array.isArray(streams)) throw new BadRequest(400, 'body needs a "streams" array');
  return streams.flatMap((stream: unknown, i) => {
    if (!isObject(stream) || !isStringRecord(stream.stream) || !Array.isArray(stream.values)) {
      throw new BadRequest(
        400,
        `streams[${i}] needs a "stream" object of string labels and a "values" array`,
      );
    }
    const labels = stream.stream;
    return stream.values.map((value: unknown, j) => {
      const where = `streams[${i}].values[${j}]`;
      if (!Array.isArray(value) || value.length < 2 || value.length > 3) {
        throw new BadRequest(400, `${where} must be [timestamp, line] or [timestamp, line, metadata]`);
      }
      const [timeNs, line, metadata] = value as unknown[];
      if (typeof timeNs !== 'string' || !/^\d+$/.test(timeNs)) {
        throw new BadRequest(400, `${where}: the timestamp must be a string of nanoseconds`);
      }
      if (typeof line !== 'string') throw new BadRequest(400, `${where}: the line must be a string`);
      if (metadata !== undefined && !isStringRecord(metadata)) {
        throw new BadRequest(400, `${where}: structured metadata must be an object of strings`);
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
