import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { defaultPorts, serviceNames } from '../../domain/services.ts';
import { UsageError } from '../errors.ts';
import type { ServiceName } from '../../domain/services.ts';

/** Where everything listens, and the credentials to use. */
export interface Targets {
  services: Record<ServiceName, string>;
  prometheusUrl: string;
  lokiUrl: string;
  grafanaUrl: string;
  /**
   * A standalone Alertmanager (the native stack's), which the rule preview posts its alerts to; null
   * when there is none (the Docker stack's Alertmanager is Grafana's own).
   */
  alertmanagerUrl: string | null;
  /** The shop's PostgreSQL: the rule preview runs the SQL rules there when Grafana is not reachable. */
  databaseUrl: string;
  grafanaUser: string;
  grafanaPassword: string;
  adminToken: string | undefined;
  /** Where the admin token came from, for error messages. */
  adminTokenSource: string;
}

/** Command-line overrides (commander's camelCase option names). */
export type TargetFlags = Partial<Record<`${ServiceName}Url`, string>> & {
  prometheusUrl?: string;
  lokiUrl?: string;
  grafanaUrl?: string;
  alertmanagerUrl?: string;
  databaseUrl?: string;
  grafanaUser?: string;
  grafanaPassword?: string;
  adminToken?: string;
};

/** The shape of .native/stack.json, written by the native runner (only the fields read here). */
interface NativeStackFile {
  adminToken?: string;
  urls?: Partial<Record<ServiceName, string>>;
  prometheusUrl?: string | null;
  lokiUrl?: string | null;
  alertmanagerUrl?: string | null;
  databaseUrl?: string;
}

type DotEnv = Record<string, string | undefined>;

/** Ports docker-compose.yml publishes besides the services' (`${PROMETHEUS_PORT:-9090}` …). */
const composeDefaultPorts = {
  PROMETHEUS_PORT: 9090,
  LOKI_PORT: 3100,
  GRAFANA_PORT: 3000,
  POSTGRES_PORT: 5432,
};

/** The .env variable that moves a service's published port: API_PORT, FRONTEND_PORT, … */
export function portVariable(service: ServiceName): string {
  return `${service.toUpperCase()}_PORT`;
}

/**
 * Flags win over the environment; then the native runner's .native/stack.json (its ports and
 * token), then the docker compose .env in the working directory (its ports and secrets), then the
 * default ports. The stack file beats .env because it only exists while the native runner runs (the
 * runner deletes it when it stops), whereas .env stays once ./start-demo.sh has written it: when
 * both exist, the stack file describes the stack that is running now. What the stack file does not
 * describe (Grafana; Prometheus or Loki when the runner has none) still comes from .env.
 */
export function resolveTargets(
  flags: TargetFlags,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Targets {
  const stack = readStackFile(join(cwd, '.native', 'stack.json'));
  const dotEnv = readDotEnv(join(cwd, '.env'));
  const compose = composeUrls(dotEnv);
  /** The first value set, else the fallback. */
  const first = (fallback: string, ...candidates: (string | null | undefined)[]): string =>
    candidates.find((candidate) => candidate) ?? fallback;

  const services = Object.fromEntries(
    serviceNames.map((service) => [
      service,
      validUrl(
        service,
        first(
          compose.services[service],
          flags[`${service}Url`],
          env[`SHOPFAST_${service.toUpperCase()}_URL`],
          stack?.urls?.[service],
        ),
      ),
    ]),
  ) as Record<ServiceName, string>;

  const tokenSources: [string | undefined, string][] = [
    [flags.adminToken, '--admin-token'],
    [env.ADMIN_TOKEN, 'ADMIN_TOKEN'],
    [stack?.adminToken, '.native/stack.json'],
    [dotEnv.ADMIN_TOKEN, '.env'],
  ];
  const token = tokenSources.find(([value]) => value);

  return {
    services,
    prometheusUrl: validUrl(
      'Prometheus',
      first(compose.prometheus, flags.prometheusUrl, env.PROMETHEUS_URL, stack?.prometheusUrl),
    ),
    lokiUrl: validUrl('Loki', first(compose.loki, flags.lokiUrl, env.LOKI_URL, stack?.lokiUrl)),
    grafanaUrl: validUrl('Grafana', first(compose.grafana, flags.grafanaUrl, env.GRAFANA_URL)),
    alertmanagerUrl: optionalUrl(
      'Alertmanager',
      flags.alertmanagerUrl ?? env.ALERTMANAGER_URL ?? stack?.alertmanagerUrl,
    ),
    databaseUrl: validDatabaseUrl(
      first(composeDatabaseUrl(dotEnv), flags.databaseUrl, env.DATABASE_URL, stack?.databaseUrl),
    ),
    grafanaUser: first(
      'admin',
      flags.grafanaUser,
      env.GRAFANA_USER,
      dotEnv.GRAFANA_USER,
      dotEnv.GF_SECURITY_ADMIN_USER,
    ),
    grafanaPassword: first(
      'admin',
      flags.grafanaPassword,
      env.GRAFANA_PASSWORD,
      dotEnv.GRAFANA_PASSWORD,
      dotEnv.GF_SECURITY_ADMIN_PASSWORD,
    ),
    adminToken: token?.[0],
    adminTokenSource: token?.[1] ?? 'nowhere (set ADMIN_TOKEN or --admin-token)',
  };
}

/** An http(s) URL without a trailing slash, or a usage error naming the target. */
export function validUrl(name: string, value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new UsageError(`the ${name} URL "${value}" is not a URL (expected e.g. http://localhost:8080)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`the ${name} URL "${value}" must start with http:// or https://`);
  }
  return parsed.href.replace(/\/+$/, '');
}

function optionalUrl(name: string, value: string | null | undefined): string | null {
  return value ? validUrl(name, value) : null;
}

/** The compose stack as published on localhost: each port from .env when it moves it, else compose's default. */
function composeUrls(dotEnv: DotEnv) {
  const at = (variable: string, defaultPort: number) =>
    `http://localhost:${publishedPort(dotEnv, variable, defaultPort)}`;
  return {
    services: Object.fromEntries(
      serviceNames.map((service) => [service, at(portVariable(service), defaultPorts[service])]),
    ) as Record<ServiceName, string>,
    prometheus: at('PROMETHEUS_PORT', composeDefaultPorts.PROMETHEUS_PORT),
    loki: at('LOKI_PORT', composeDefaultPorts.LOKI_PORT),
    grafana: at('GRAFANA_PORT', composeDefaultPorts.GRAFANA_PORT),
  };
}

/** The compose stack's database as published on localhost (docker-compose.yml's user, port and password). */
function composeDatabaseUrl(dotEnv: DotEnv): string {
  const password = encodeURIComponent(dotEnv.POSTGRES_PASSWORD || 'shopfast');
  const port = publishedPort(dotEnv, 'POSTGRES_PORT', composeDefaultPorts.POSTGRES_PORT);
  return `postgres://shopfast:${password}@localhost:${port}/shopfast`;
}

/** A port .env sets (compose reads the same line), else the default; a usage error when it is no port. */
function publishedPort(dotEnv: DotEnv, variable: string, defaultPort: number): number {
  const value = dotEnv[variable]?.trim();
  if (!value) return defaultPort;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new UsageError(`.env sets ${variable}=${value}, which is not a port (a whole number 1-65535)`);
  }
  return port;
}

/** A postgres:// or postgresql:// URL, or a usage error (without echoing its password). */
export function validDatabaseUrl(value: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')) {
    throw new UsageError(
      'the database URL is not a PostgreSQL URL (expected e.g. postgres://user:password@localhost:5432/shopfast)',
    );
  }
  return value;
}

function readStackFile(path: string): NativeStackFile | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as NativeStackFile) : undefined;
  } catch {
    throw new UsageError(`${path} is not valid JSON: start the native runner again or delete the file`);
  }
}

function readDotEnv(path: string): DotEnv {
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, 'utf8'));
}
