import { once } from 'node:events';
import pino, { type Logger } from 'pino';
import { pinoLoki } from 'pino-loki';

export interface LoggerOptions {
  service: string;
  env: string;
  level: string;
  lokiUrl?: string | undefined;
  /** Fields added to every line, e.g. the active span's trace_id and span_id. */
  mixin?: () => object;
}

export interface ServiceLogger {
  logger: Logger;
  /** Flushes buffered lines (Loki included); safe to call once at shutdown. */
  close(): Promise<void>;
}

// pino-loki drops a batch when a push fails and loses what is buffered if the process exits first:
// stdout always gets every line, batches go out every second, and close() waits for the last push
// but never longer than the push timeout allows.
const lokiBatchIntervalSeconds = 1;
const lokiPushTimeoutMs = 2_000;
const maxBufferedLogBytes = 4 * 1024 * 1024;

export function createLogger(options: LoggerOptions): ServiceLogger {
  const base = { service: options.service, env: options.env };
  // Epoch-millisecond `time` (pino's default): pino-loki turns it into Loki's nanosecond timestamp.
  const pinoOptions = { level: options.level, base, ...(options.mixin ? { mixin: options.mixin } : {}) };
  // Asynchronous writes: lines that arrive while one write is under way go out together, instead
  // of one blocking write(2) per line on the request path. The buffer is capped: if stdout stalls
  // (a slow log driver), lines are dropped instead of memory.
  const stdout = pino.destination({ dest: 1, sync: false, maxLength: maxBufferedLogBytes });
  const flushStdout = () => new Promise<void>((resolve) => stdout.flush(() => resolve()));
  if (!options.lokiUrl) {
    return { logger: pino(pinoOptions, stdout), close: flushStdout };
  }
  // pino-loki as a stream in this thread, not as a pino.transport: a transport is a worker thread
  // with a V8 heap of its own (about 20 MiB resident), for work that is one JSON.parse per line and
  // a batched fetch a second.
  const loki = pinoLoki({
    host: options.lokiUrl,
    labels: base,
    batching: { interval: lokiBatchIntervalSeconds, maxBufferSize: 10_000 },
    timeout: lokiPushTimeoutMs,
  });
  // The logger's own level filters; both streams take every line that gets through it.
  const logger = pino(
    pinoOptions,
    pino.multistream([
      { level: 'trace', stream: stdout },
      { level: 'trace', stream: loki },
    ]),
  );
  return {
    logger,
    close: async () => {
      const closed = once(loki, 'close');
      loki.end();
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, lokiPushTimeoutMs + 1_000))]);
      await flushStdout();
    },
  };
}
