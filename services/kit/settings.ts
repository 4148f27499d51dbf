import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { defaultPorts, type ServiceName } from '../../domain/services.ts';

/**
 * Settings come from the environment once, at start-up, through one zod schema per process
 * (services/<name>/settings.ts, simulator/settings.ts). Each variable carries a description and the
 * values it allows (`allowed`): the error for a bad value and CONTRIBUTING's table (`npm run docs`)
 * both say them.
 */

/** The environment as a process sees it: process.env, or a test's own object. */
export type Environment = Record<string, string | undefined>;

/** A variable set to a value its schema refuses; the message names each such variable and what it allows. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** What a field allows, in words: its error message ("must be …") and the docs table show it. */
const allowing = <T extends z.ZodType>(schema: T, allowed: string): T => schema.meta({ allowed });

/** A whole number from min to max. */
export function wholeNumber(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return allowing(
    z.coerce.number({ error: message }).int(message).min(min, message).max(max, message),
    `${min}–${max}`,
  );
}

/** An http or https address. */
export function httpUrl() {
  return allowing(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }), 'http(s) URL');
}

/** A PostgreSQL connection URL. */
export function postgresUrl() {
  return allowing(
    z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
    '`postgres://` URL',
  );
}

/**
 * A shared secret. Tokens travel as `Authorization: Bearer <token>` (or a header of their own), which
 * takes RFC 6750's token68 characters only: letters, digits and -._~+/ with trailing '='.
 */
export function secret() {
  const message = "must be at least 8 characters: letters, digits and -._~+/ (then '=')";
  return allowing(
    z
      .string()
      .min(8, message)
      .regex(/^[A-Za-z0-9._~+/-]+=*$/, message),
    "8+ characters of letters, digits, -._~+/ (then '=')",
  );
}

/** One of a few words. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return allowing(z.enum(values, { error: `must be one of ${values.join(', ')}` }), values.join(', '));
}

/** `true` or `false` (any case). */
export function flag() {
  return allowing(
    z.stringbool({ truthy: ['true'], falsy: ['false'], error: 'must be true or false' }),
    'true, false',
  );
}

/** Any text but the empty string (an empty variable counts as unset). */
export function text() {
  return allowing(z.string(), 'any text');
}

/** The name of the variable an issue is about, then its message: "ORDER_TIMEOUT_MS must be …". */
function describeIssue(issue: z.core.$ZodIssue): string {
  return issue.path.length ? `${issue.path.join('.')} ${issue.message}` : issue.message;
}

/**
 * `env` with each of `names` read from the file its `<NAME>_FILE` names, when that is set: how the
 * Docker stack hands its secrets over (docker-compose.yml). Both set, or a file that cannot be read,
 * is refused; the file's trailing newline is not part of the value.
 */
function readVariableFiles(env: Environment, names: string[], owner: string): Environment {
  const read = { ...env };
  for (const name of names) {
    const path = env[`${name}_FILE`];
    if (!path) continue;
    if (env[name])
      throw new SettingsError(`invalid settings for ${owner}: set ${name} or ${name}_FILE, not both`);
    try {
      read[name] = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new SettingsError(
        `invalid settings for ${owner}: ${name}_FILE names ${path}, which cannot be read (${code})`,
      );
    }
  }
  return read;
}

/**
 * Parses `env` with `schema`, empty variables counting as unset and any variable of the schema
 * readable from a file (`<NAME>_FILE`); a refused value throws a SettingsError.
 */
export function parseSettings<S extends z.ZodType>(schema: S, env: Environment, owner: string): z.output<S> {
  const names = schema instanceof z.ZodObject ? Object.keys(schema.shape as z.ZodRawShape) : [];
  const given = Object.fromEntries(
    Object.entries(readVariableFiles(env, names, owner)).filter(
      ([, value]) => value !== undefined && value !== '',
    ),
  );
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    throw new SettingsError(
      `invalid settings for ${owner}: ${parsed.error.issues.map(describeIssue).join('; ')}`,
    );
  }
  return parsed.data;
}

/**
 * This process's settings, read from its environment once at start-up. A refused value ends the
 * process at once with the message (not a stack trace): exit code 1 unless the caller says otherwise.
 */
export function loadSettings<T>(read: (env: Environment) => T, exitCode = 1): T {
  try {
    return read(process.env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(exitCode);
  }
}

/** Tracing for one process: off unless an OTLP endpoint is set (the SDK reads its other OTEL_* itself). */
export interface TracingSettings {
  /** Where spans go over OTLP/HTTP (JSON); undefined: tracing is off and costs nothing. */
  otlpTracesUrl: string | undefined;
}

export const tracingVariables = {
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl()
    .optional()
    .describe(
      "Turns tracing on: spans go over OTLP/HTTP (JSON) to `<endpoint>/v1/traces`; exemplars on `/metrics` (OpenMetrics) and `trace_id`/`span_id` in log lines come with it. The simulator's journeys become root spans (`journey <action>`) over the services' spans",
    )
    .meta({ unset: 'no tracing at all' }),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl()
    .optional()
    .describe('The full URL for spans (no `/v1/traces` added); wins over `OTEL_EXPORTER_OTLP_ENDPOINT`')
    .meta({ unset: '`<endpoint>/v1/traces`' }),
  OTEL_SDK_DISABLED: flag()
    .prefault('false')
    .describe('`true` switches tracing off whatever the endpoints say'),
};

type TracingVariables = z.output<z.ZodObject<typeof tracingVariables>>;

export function tracingSettings(variables: TracingVariables): TracingSettings {
  const { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: tracesUrl } = variables;
  if (variables.OTEL_SDK_DISABLED) return { otlpTracesUrl: undefined };
  // As the SDK itself would: the traces endpoint as given, else the signal's path under the base endpoint.
  return { otlpTracesUrl: tracesUrl ?? (endpoint && `${endpoint.replace(/\/?$/, '/')}v1/traces`) };
}

/** What the kit itself needs of every service's settings. */
export interface KitSettings {
  service: ServiceName;
  port: number;
  /** The address the server listens on. */
  host: string;
  lokiUrl: string | undefined;
  adminToken: string | undefined;
  env: string;
  logLevel: string;
  tracing: TracingSettings;
}

/** The variables every service reads: where it listens, logs and traces, and its admin token. */
export function kitVariables(service: ServiceName) {
  return {
    PORT: wholeNumber(1, 65_535).default(defaultPorts[service]).describe('The port the service listens on'),
    HOST: allowing(
      z.union([z.ipv4(), z.ipv6()], { error: 'must be an IP address to listen on' }),
      'IPv4 or IPv6 address',
    )
      .default('127.0.0.1')
      .describe('The address the service listens on (containers set `0.0.0.0`)'),
    LOKI_URL: httpUrl()
      .optional()
      .describe("Loki's base URL: log lines are pushed there as well as written to stdout")
      .meta({ unset: 'stdout only' }),
    ADMIN_TOKEN: secret()
      .optional()
      .describe('Bearer token for `/admin/*` (faults, resets); the simulator sends it')
      .meta({ unset: '`/admin` answers 401' }),
    APP_ENV: text().default('demo').describe('The `env` label on every log line'),
    LOG_LEVEL: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
      .default('info')
      .describe('The lowest level logged'),
    ...tracingVariables,
  };
}

type KitVariables = z.output<z.ZodObject<ReturnType<typeof kitVariables>>>;

export function kitSettings(service: ServiceName, variables: KitVariables): KitSettings {
  return {
    service,
    port: variables.PORT,
    host: variables.HOST,
    lokiUrl: variables.LOKI_URL,
    adminToken: variables.ADMIN_TOKEN,
    env: variables.APP_ENV,
    logLevel: variables.LOG_LEVEL,
    tracing: tracingSettings(variables),
  };
}

/** The shop's database, for the services that keep rows in it. */
export const databaseVariables = {
  DATABASE_URL: postgresUrl()
    .default('postgres://shopfast:shopfast@localhost:5432/shopfast')
    .describe(
      "The shop's PostgreSQL (the frontend keeps its incidents there and reads shoppers' orders and sign-in attempts, payment its ledger)",
    ),
};
