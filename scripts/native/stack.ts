import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killGroup, type OutputMode } from './child-process.ts';
import { defaultPorts, infrastructurePorts, serviceNames, startOrder } from '../../domain/services.ts';
import { findAlertmanagerBinary, spawnAlertmanager, waitForAlertmanager } from './alertmanager.ts';
import { guardProcessExit } from './exit-guard.ts';
import { startLokiStandIn } from './loki-standin.ts';
import { assertPortsFree, freePorts } from './ports.ts';
import {
  applyInitSql,
  createThrowawayPostgres,
  removePostgres,
  removePostgresNow,
  type PostgresInfo,
} from './postgres.ts';
import { findPrometheusBinary, spawnPrometheus, waitForPrometheus } from './prometheus.ts';
import { spawnService, waitForService, type RunningService, type ServiceName } from './services.ts';

export type { ServiceName } from './services.ts';
export type { PostgresInfo } from './postgres.ts';

/** Everything a client of the stack needs: where each part listens and the shared secrets. */
export interface StackInfo {
  databaseUrl: string;
  /** ADMIN_TOKEN from the environment, or generated. */
  adminToken: string;
  /** ALERT_WEBHOOK_SECRET from the environment, or generated. */
  webhookSecret: string;
  /** http://127.0.0.1:<port> per service. */
  urls: Record<ServiceName, string>;
  /** null when the prometheus binary is missing or Prometheus was not asked for. */
  prometheusUrl: string | null;
  /** Upstream Alertmanager with the notification design; null when not installed or not asked for. */
  alertmanagerUrl: string | null;
  /** LOKI_URL (or the lokiUrl option) when given, else the runner's own Loki stand-in. */
  lokiUrl: string | null;
  /** True when lokiUrl is the stand-in (scripts/native/loki-standin.ts), not a real Loki. */
  lokiStandIn: boolean;
  /** The throwaway server; null when DATABASE_URL was given. */
  postgres: PostgresInfo | null;
}

export interface StartOptions {
  /** Fixed ports (defaults 8080-8083), or 'random' free ports for every part, Prometheus and PostgreSQL included. */
  ports?: Partial<Record<ServiceName, number>> | 'random';
  /** Default 9090; ignored with ports 'random'. */
  prometheusPort?: number;
  /** Default 9093; ignored with ports 'random'. */
  alertmanagerPort?: number;
  /** Default 5432; ignored with ports 'random' or when DATABASE_URL is set. */
  postgresPort?: number;
  /** Where the services push logs; default LOKI_URL from the environment, else the Loki stand-in. */
  lokiUrl?: string;
  /** The stand-in's port (default 3100, Loki's); ignored with ports 'random' or a Loki URL. */
  lokiPort?: number;
  /** More variables for every service, e.g. the OTEL_* settings that switch tracing on. */
  serviceEnv?: Record<string, string>;
  /** Start Prometheus when its binary is on PATH (default true). */
  prometheus?: boolean;
  /** Start Alertmanager when its binary is on PATH (default true); its receivers tell the frontend. */
  alertmanager?: boolean;
  /**
   * The address the services and Prometheus listen on: 127.0.0.1 (this machine only) unless asked
   * otherwise, e.g. 0.0.0.0 to show the shop on a phone. PostgreSQL, with trust auth, stays on loopback.
   */
  host?: string;
  /** Default 5 (the demo); tests use 1. */
  scrapeIntervalSeconds?: number;
  /** Run the compiled dist/ instead of the TypeScript sources. */
  fromDist?: boolean;
  /** 'inherit': service output on our stdout, each line prefixed; 'quiet': only in the log files. */
  output?: OutputMode;
  /** Keep the full logs here (created if needed, left in place by stop()); default: a temp dir that stop() removes. */
  logDir?: string;
  /** Called with a short line at each step (the CLI prints them). */
  onProgress?: (message: string) => void;
  /** Aborting it cancels a startup in progress (what was started is stopped again). */
  signal?: AbortSignal;
}

export interface NativeStack extends StackInfo {
  /** Full output of every service and of Prometheus, one <name>.log each. */
  logDir: string;
  /** Process id of each service (benchmarks read their memory). */
  servicePids: Record<ServiceName, number>;
  /** Stops the services, Prometheus, Alertmanager and PostgreSQL and removes their data. Safe to call twice. */
  stop(): Promise<void>;
}

interface PortPlan {
  services: Record<ServiceName, number>;
  prometheus: number;
  alertmanager: number;
  postgres: number;
  loki: number;
}

type Cleanup = () => Promise<unknown>;

const loopback = '127.0.0.1';

/**
 * Starts PostgreSQL (or uses DATABASE_URL), the four services and, when available, Prometheus and
 * Alertmanager.
 * If any step fails, whatever was started is stopped again before the error is thrown.
 */
export async function startNativeStack(options: StartOptions = {}): Promise<NativeStack> {
  const progress = options.onProgress ?? (() => {});
  const externalDatabaseUrl = process.env.DATABASE_URL || null;
  const prometheusBinary = options.prometheus === false ? null : findPrometheusBinary();
  const alertmanagerBinary = options.alertmanager === false ? null : findAlertmanagerBinary();
  const givenLokiUrl = options.lokiUrl ?? (process.env.LOKI_URL || null);
  const ports = await planPorts(options, {
    postgres: externalDatabaseUrl === null,
    prometheus: prometheusBinary !== null,
    alertmanager: alertmanagerBinary !== null,
    loki: givenLokiUrl === null,
  });
  const adminToken = process.env.ADMIN_TOKEN || randomSecret();
  const webhookSecret = process.env.ALERT_WEBHOOK_SECRET || randomSecret();

  const workDir = await mkdtemp(join(tmpdir(), 'shopfast-native-'));
  const logDir = options.logDir ?? join(workDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const cleanups: Cleanup[] = [() => rm(workDir, { recursive: true, force: true })];
  const exitGuard = guardProcessExit();
  exitGuard.add(() => rmSync(workDir, { recursive: true, force: true }));
  const stopAll = once(() => runCleanups(cleanups).finally(() => exitGuard.release()));

  try {
    let databaseUrl: string;
    let postgresInfo: PostgresInfo | null = null;
    if (externalDatabaseUrl) {
      progress('applying postgres/init.sql to DATABASE_URL');
      await applyInitSql(externalDatabaseUrl);
      databaseUrl = externalDatabaseUrl;
    } else {
      progress(`starting a throwaway PostgreSQL on port ${ports.postgres}`);
      const created = await createThrowawayPostgres(ports.postgres);
      const info = created.info;
      cleanups.push(() => removePostgres(info));
      exitGuard.add(() => removePostgresNow(info));
      databaseUrl = created.databaseUrl;
      postgresInfo = info;
    }

    let lokiUrl = givenLokiUrl;
    if (lokiUrl === null) {
      // No real Loki: the services push to the stand-in, which answers the Loki rule's query.
      const standIn = await startLokiStandIn(ports.loki);
      cleanups.push(() => standIn.close());
      lokiUrl = standIn.url;
      progress(`Loki stand-in listening at ${lokiUrl}`);
    }

    options.signal?.throwIfAborted();
    const urls = mapServices((name) => `http://127.0.0.1:${ports.services[name]}`);
    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      ADMIN_TOKEN: adminToken,
      ALERT_WEBHOOK_SECRET: webhookSecret,
      APP_ENV: 'native',
      HOST: options.host ?? loopback,
      INVENTORY_URL: urls.inventory,
      PAYMENT_URL: urls.payment,
      API_URL: urls.api,
      ...(lokiUrl ? { LOKI_URL: lokiUrl } : {}),
      ...options.serviceEnv,
    };

    progress(`starting ${startOrder.join(', ')}`);
    const services: RunningService[] = [];
    cleanups.push(() => Promise.all(services.map((s) => s.child.stop())));
    for (const name of startOrder) {
      const service = spawnService({
        name,
        env,
        port: ports.services[name],
        fromDist: options.fromDist ?? false,
        output: options.output ?? 'inherit',
        logDir,
      });
      services.push(service);
      exitGuard.add(() => killGroup(service.child.pid, 'SIGKILL'));
    }

    const prometheus = prometheusBinary
      ? await spawnPrometheus(prometheusBinary, {
          port: ports.prometheus,
          targets: services.map((s) => ({ name: s.name, port: ports.services[s.name] })),
          scrapeIntervalSeconds: options.scrapeIntervalSeconds ?? 5,
          host: options.host ?? loopback,
          workDir,
          logDir,
        })
      : null;
    if (prometheus) {
      progress(`starting Prometheus on port ${ports.prometheus}`);
      cleanups.push(() => prometheus.child.stop());
      exitGuard.add(() => killGroup(prometheus.child.pid, 'SIGKILL'));
    }

    const alertmanager = alertmanagerBinary
      ? await spawnAlertmanager(alertmanagerBinary, {
          port: ports.alertmanager,
          host: options.host ?? loopback,
          workDir,
          logDir,
          webhookUrl: `${urls.frontend}/api/alerts/webhook`,
          webhookSecret,
          slackWebhookUrl: process.env.SLACK_WEBHOOK_URL || undefined,
        })
      : null;
    if (alertmanager) {
      progress(`starting Alertmanager on port ${ports.alertmanager}`);
      cleanups.push(() => alertmanager.child.stop());
      exitGuard.add(() => killGroup(alertmanager.child.pid, 'SIGKILL'));
    }

    await Promise.all([
      ...services.map((s) =>
        waitForService(s, options.signal).then(() => progress(`${s.name} is ready at ${s.url}`)),
      ),
      ...(prometheus ? [waitForPrometheus(prometheus, options.signal)] : []),
      ...(alertmanager ? [waitForAlertmanager(alertmanager, options.signal)] : []),
    ]);

    return {
      databaseUrl,
      adminToken,
      webhookSecret,
      urls,
      prometheusUrl: prometheus?.url ?? null,
      alertmanagerUrl: alertmanager?.url ?? null,
      lokiUrl,
      lokiStandIn: givenLokiUrl === null,
      postgres: postgresInfo,
      logDir,
      servicePids: mapServices((name) => services.find((s) => s.name === name)!.child.pid),
      stop: stopAll,
    };
  } catch (err) {
    const stopError = await stopAll().then(
      () => null,
      (e: unknown) => e,
    );
    if (stopError === null) throw err;
    const message = `${errorMessage(err)}\n(stopping what had started failed too: ${errorMessage(stopError)})`;
    throw new AggregateError([err, stopError], message);
  }
}

/** The plain, serializable part of a running stack (for stack.json and vitest's provide). */
export function stackInfoOf(stack: NativeStack): StackInfo {
  const { databaseUrl, adminToken, webhookSecret, urls, prometheusUrl, alertmanagerUrl } = stack;
  const { lokiUrl, lokiStandIn, postgres } = stack;
  return {
    databaseUrl,
    adminToken,
    webhookSecret,
    urls,
    prometheusUrl,
    alertmanagerUrl,
    lokiUrl,
    lokiStandIn,
    postgres,
  };
}

async function planPorts(
  options: StartOptions,
  needs: { postgres: boolean; prometheus: boolean; alertmanager: boolean; loki: boolean },
): Promise<PortPlan> {
  if (options.ports === 'random') {
    const [prometheus, alertmanager, postgres, loki, ...servicePorts] = (await freePorts(
      4 + serviceNames.length,
    )) as number[];
    const services = mapServices((name) => servicePorts[serviceNames.indexOf(name)]!);
    return {
      services,
      prometheus: prometheus!,
      alertmanager: alertmanager!,
      postgres: postgres!,
      loki: loki!,
    };
  }
  const plan: PortPlan = {
    services: { ...defaultPorts, ...options.ports },
    prometheus: options.prometheusPort ?? infrastructurePorts.prometheus,
    alertmanager: options.alertmanagerPort ?? infrastructurePorts.alertmanager,
    postgres: options.postgresPort ?? infrastructurePorts.postgres,
    loki: options.lokiPort ?? infrastructurePorts.loki,
  };
  await assertPortsFree([
    ...serviceNames.map((name) => ({ what: name, port: plan.services[name] })),
    ...(needs.prometheus ? [{ what: 'prometheus', port: plan.prometheus }] : []),
    ...(needs.alertmanager ? [{ what: 'alertmanager', port: plan.alertmanager }] : []),
    ...(needs.postgres ? [{ what: 'postgres', port: plan.postgres }] : []),
    ...(needs.loki ? [{ what: 'the Loki stand-in', port: plan.loki }] : []),
  ]);
  return plan;
}

/** Last started, first stopped: services before the database they use. Every step runs even if one fails. */
async function runCleanups(cleanups: Cleanup[]): Promise<void> {
  const errors: unknown[] = [];
  for (const cleanup of [...cleanups].reverse()) {
    try {
      await cleanup();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, 'stopping the native stack failed');
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

function mapServices<T>(fn: (name: ServiceName) => T): Record<ServiceName, T> {
  return Object.fromEntries(serviceNames.map((name) => [name, fn(name)])) as Record<ServiceName, T>;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function randomSecret(): string {
  return randomBytes(16).toString('hex');
}
