import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { KitEnv } from './context.ts';
import type { ServiceKit } from './kit.ts';

const defaultShutdownDeadlineMs = 9_000;

/**
 * Serves the app and owns the process: on SIGTERM/SIGINT it stops accepting, lets in-flight requests
 * finish, runs the service's closers (database pool, ...), flushes logs and exits within the
 * shutdown deadline (9 s unless the service's slowest request needs longer).
 */
export function runService(
  kit: ServiceKit,
  app: Hono<KitEnv>,
  closers: Array<() => Promise<unknown>> = [],
  options: { endStreams?: () => void; shutdownDeadlineMs?: number } = {},
): void {
  const { logger, config } = kit;
  const shutdownDeadlineMs = options.shutdownDeadlineMs ?? defaultShutdownDeadlineMs;
  // serve() builds a plain node:http server unless told otherwise.
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    kit.metrics.startups.inc();
    logger.info(
      { host: config.host, port: info.port },
      `${config.service} listening on ${config.host} port ${info.port}`,
    );
  }) as Server;
  server.on('error', (err) => {
    logger.fatal({ err }, `${config.service} could not listen on port ${config.port}`);
    void kit.close().finally(() => process.exit(1));
  });

  let stopping = false;
  const shutdown = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, `${config.service} shutting down`);
    const deadline = setTimeout(() => {
      logger.error(`${config.service} did not stop within ${shutdownDeadlineMs} ms; exiting anyway`);
      process.exit(1);
    }, shutdownDeadlineMs);
    deadline.unref();
    // close() waits for in-flight requests, so never-ending responses (SSE) are ended first; idle
    // keep-alive sockets would hold it open until their timeout, so they are closed as soon as they go idle.
    options.endStreams?.();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const idleSweeper = setInterval(() => server.closeIdleConnections(), 200);
    server.closeIdleConnections();
    await closed;
    clearInterval(idleSweeper);
    for (const close of closers) {
      await close().catch((err: unknown) => logger.error({ err }, 'error while closing'));
    }
    logger.info(`${config.service} stopped`);
    await kit.close();
    process.exit(exitCode);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.once('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    void shutdown('uncaughtException', 1);
  });
}
