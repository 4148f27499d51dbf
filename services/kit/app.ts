import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { routePath } from 'hono/route';
import { requireAdminToken } from './admin.ts';
import type { KitEnv } from './context.ts';
import { requestDeadline } from './deadline.ts';
import { HttpError, handleError, handleNotFound } from './errors.ts';
import type { ServiceKit } from './kit.ts';
import { serverSpans } from './tracing/server-spans.ts';
import { jsonBody } from './validation.ts';

export type ReadinessChecks = Record<string, () => Promise<unknown>>;

export interface ServiceAppOptions {
  /** Business paths that injected faults must not touch either, e.g. the status page during an incident. */
  faultFreePaths?: RegExp;
  /** Paths that may receive more than the default 64 KB, e.g. Grafana's webhook with many alerts. */
  largeBodies?: { paths: RegExp; maxBytes: number };
  /** The longest any request may take here, whatever its caller grants (default 10 s). */
  maxRequestMs?: number;
}

const readinessTimeoutMs = 1_500;
const maxBodyBytes = 64 * 1024;
const defaultMaxRequestMs = 10_000;
// Scrapes, probes and admin calls are the platform talking to the service: no injected faults there,
// and access logs for them only at debug level so they do not drown the business lines.
const platformPath = /^\/(health|ready|metrics|admin)(\/|$)/;

async function runCheck(check: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${readinessTimeoutMs} ms`)),
      readinessTimeoutMs,
    );
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The Hono app every service starts from: request ids, access log and HTTP metrics, the error
 * envelope, body limit, /health, /ready, /metrics and the fault admin API. Services add their routes.
 */
export function createServiceApp(
  kit: ServiceKit,
  readiness: ReadinessChecks = {},
  options: ServiceAppOptions = {},
): Hono<KitEnv> {
  const { config, logger, metrics, faults } = kit;
  const app = new Hono<KitEnv>();
  app.onError(handleError);
  app.notFound(handleNotFound);

  if (kit.tracing.enabled) app.use(serverSpans(config.service));
  app.use(requestId());
  app.use(requestDeadline(options.maxRequestMs ?? defaultMaxRequestMs));
  app.use(async (c, next) => {
    const id = c.get('requestId');
    c.set('logger', logger.child({ requestId: id }));
    const started = performance.now();
    await next();
    const durationMs = performance.now() - started;
    // After next() the route index points at the handler that answered; unmatched paths give '/*'.
    const route = routePath(c);
    const status = c.res.status;
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(status) });
    metrics.observeDuration({ method: c.req.method, route }, durationMs / 1000);
    const line = {
      requestId: id,
      method: c.req.method,
      route,
      status,
      durationMs: Math.round(durationMs * 10) / 10,
    };
    if (platformPath.test(c.req.path)) logger.debug(line, 'request completed');
    else logger.info(line, 'request completed');
  });
  const limitBodies = (maxBytes: number) =>
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new HttpError(413, 'payload_too_large', `Request bodies are limited to ${maxBytes / 1024} KB`);
      },
    });
  const defaultLimit = limitBodies(maxBodyBytes);
  const largeBodies = options.largeBodies;
  const largeLimit = largeBodies ? limitBodies(largeBodies.maxBytes) : defaultLimit;
  // GET and HEAD carry no body; skipping them also spares @hono/node-server building a full Request
  // (with its AbortController) just to find the body missing, which cost a quarter of GET throughput.
  app.use((c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return (largeBodies?.paths.test(c.req.path) ? largeLimit : defaultLimit)(c, next);
  });

  app.get('/health', (c) => c.json({ status: 'ok', service: config.service }));
  app.get('/ready', async (c) => {
    const names = Object.keys(readiness);
    const results = await Promise.all(names.map((name) => runCheck(readiness[name]!)));
    const checks = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
    const ready = results.every((r) => r === 'ok');
    return c.json({ status: ready ? 'ready' : 'not_ready', checks }, ready ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    c.header('Content-Type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });

  app.use('/admin/*', requireAdminToken(config.adminToken));
  app.get('/admin/faults', (c) => c.json({ service: config.service, faults: faults.current() }));
  app.put('/admin/faults', jsonBody(faults.patchSchema), async (c) =>
    c.json({ service: config.service, faults: await faults.apply(c.req.valid('json')) }),
  );
  app.post('/admin/faults/reset', async (c) =>
    c.json({ service: config.service, faults: await faults.reset() }),
  );

  const businessFaults = faults.middleware();
  const faultFree = (path: string) =>
    platformPath.test(path) || (options.faultFreePaths?.test(path) ?? false);
  app.use(async (c, next) => (faultFree(c.req.path) ? next() : businessFaults(c, next)));
  return app;
}
