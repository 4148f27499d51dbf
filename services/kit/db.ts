import postgres from 'postgres';
import { traceSql } from './tracing/traced-sql.ts';

export type Sql = postgres.Sql;

/**
 * One pool per service. Sizes are deliberate: each service handles a few hundred requests per second
 * at most, so ten connections is plenty, and short timeouts make a dead database show up as 503s
 * within seconds instead of hanging requests. A service whose callers wait less than 5 s passes a
 * shorter statement timeout, so its statements end before its callers give up.
 */
export function createDb(
  databaseUrl: string,
  applicationName: string,
  { statementTimeoutMs = 5_000 }: { statementTimeoutMs?: number } = {},
): Sql {
  return traceSql(
    postgres(databaseUrl, {
      max: 10,
      idle_timeout: 30,
      connect_timeout: 3,
      max_lifetime: 30 * 60,
      onnotice: () => {},
      connection: { application_name: applicationName, statement_timeout: statementTimeoutMs },
    }),
  );
}

// postgres.js and Node report a lost or refused connection with these codes; PostgreSQL itself with
// class 08 (connection exception) and 57P0x (server shutting down).
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01',
  '57P02',
  '57P03',
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (unavailableCodes.has(code) || code.startsWith('08'))) return true;
  // Node wraps several refused addresses (IPv4 + IPv6) into one AggregateError.
  return err instanceof AggregateError && err.errors.some(isDatabaseUnavailable);
}
