import { Hono } from 'hono';
import type { KitEnv } from './context.ts';
import { handleError, handleNotFound } from './error-envelope.ts';
import type { ServiceKit } from './kit.ts';
import { accessLog } from './middleware/access-log.ts';
import { limitBodies } from './middleware/body-limit.ts';
import { requestDeadline } from './middleware/deadline.ts';
import { injectFaults } from './middleware/faults.ts';
import { httpMetrics } from './middleware/http-metrics.ts';
import { shedLoad } from './middleware/load-shedding.ts';
import { requestId } from './middleware/request-id.ts';
import { secureResponses, type SecureHeadersOptions } from './middleware/secure-headers.ts';
import { requireToken } from './middleware/token-auth.ts';
import { addFaultAdminRoutes } from './routes/fault-admin.ts';
import { addHealthRoutes, type ReadinessChecks } from './routes/health.ts';
import { serverSpans } from './tracing/server-spans.ts';

export type { ReadinessChecks };

export interface ServiceAppOptions {
  /** Business paths that injected faults must not touch either, e.g. the status page during an incident. */
  faultFreePaths?: RegExp;
  /** Paths that may receive more than the default 64 KB, e.g. Grafana's webhook with many alerts. */
  largeBodies?: { paths: RegExp; maxBytes: number };
  /** The longest any request may take here, whatever its caller grants (default 10 s). */
  maxRequestMs?: number;
  /** Hono's secure-headers options for this service; default: a CSP under which nothing may load (JSON services). */
  secureHeaders?: SecureHeadersOptions;
}

const maxBodyBytes = 64 * 1024;
const defaultMaxRequestMs = 10_000;
// Far above what the demo's scenarios keep in flight (the simulator caps its own), low enough that
// requests held by a slow dependency cannot pile up into an out-of-memory kill.
const maxInFlight = 256;
// Scrapes, probes and admin calls are the platform talking to the service: no injected faults there,
// and access logs for them only at debug level so they do not drown the business lines.
const platformPath = /^\/(health|ready|metrics|admin)(\/|$)/;

/**
 * The Hono app every service starts from, assembled from the kit's middleware: request ids, access
 * log, HTTP metrics, secure headers, the error envelope, body limits, load shedding, /health,
 * /ready, /metrics, the admin token and the fault admin API, then the injected faults. Services
 * add their routes.
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

  if (kit.tracing.enabled) app.use(serverSpans());
  app.use(requestId({ logger }));
  app.use(requestDeadline({ maxMs: options.maxRequestMs ?? defaultMaxRequestMs }));
  app.use(accessLog({ logger, quietPaths: platformPath }));
  app.use(httpMetrics({ registry: metrics.registry, exemplars: metrics.exemplars }));
  app.use(secureResponses(options.secureHeaders));
  app.use(
    limitBodies({ maxBytes: maxBodyBytes, ...(options.largeBodies ? { large: options.largeBodies } : {}) }),
  );

  const isPlatform = (path: string) => platformPath.test(path);
  app.use(shedLoad({ maxInFlight, spared: isPlatform }));

  addHealthRoutes(app, { service: config.service, readiness });
  app.get('/metrics', async (c) => {
    c.header('Content-Type', metrics.registry.contentType);
    return c.body(await metrics.registry.metrics());
  });

  app.use(
    '/admin/*',
    requireToken({
      token: config.adminToken,
      closedCode: 'admin_disabled',
      closedMessage: 'ADMIN_TOKEN is not set on this service, so /admin is closed',
      hint: 'Send Authorization: Bearer <ADMIN_TOKEN>',
    }),
  );
  addFaultAdminRoutes(app, { faults });

  const faultFree = options.faultFreePaths;
  app.use(injectFaults({ faults, spared: (path) => isPlatform(path) || (faultFree?.test(path) ?? false) }));
  return app;
}
