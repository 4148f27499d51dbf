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
