import { once } from 'node:events';
import pino, { type Logger } from 'pino';

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
  /** Flushes buffered lines (Loki included) and stops the log worker; safe to call once at shutdown. */
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
  if (!options.lokiUrl) {
    // Asynchronous writes: lines that arrive while one write is under way go out together, instead
    // of one blocking write(2) per line on the request path. close() flushes what is pending. The
    // buffer is capped: if stdout stalls (a slow log driver), lines are dropped instead of memory.
    const destination = pino.destination({ dest: 1, sync: false, maxLength: maxBufferedLogBytes });
    const logger = pino(pinoOptions, destination);
    return { logger, close: () => new Promise<void>((resolve) => logger.flush(() => resolve())) };
  }
  const transport = pino.transport({
    targets: [
      { target: 'pino/file', level: options.level, options: { destination: 1 } },
      {
        target: 'pino-loki',
        level: options.level,
        options: {
          host: options.lokiUrl,
          labels: base,
          batching: { interval: lokiBatchIntervalSeconds, maxBufferSize: 10_000 },
          timeout: lokiPushTimeoutMs,
        },
      },
    ],
  });
  const logger = pino(pinoOptions, transport);
  return {
    logger,
    close: async () => {
      const closed = once(transport, 'close');
      transport.end();
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, lokiPushTimeoutMs + 1_000))]);
    },
  };
}
