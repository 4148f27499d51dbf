import type postgres from 'postgres';
import type { Deadline } from './deadline.ts';
import type { Sql } from './db.ts';

/**
 * Runs fn in a transaction in which PostgreSQL cancels any statement that runs longer than what
 * was left of the deadline at the start, so a slow database cannot keep working long for a caller
 * that has given up (a cancelled statement rolls it all back). An expired deadline answers 504
 * before anything is sent.
 */
export async function transactionBefore<T>(
  sql: Sql,
  deadline: Deadline,
  fn: (tx: postgres.TransactionSql) => Promise<T>,
): Promise<T> {
  deadline.throwIfExpired();
  const result = await sql.begin(async (tx) => {
    // Not awaited alone: it goes out in the same round trip as fn's first statement.
    const limit = tx`SELECT set_config('statement_timeout', ${String(Math.max(1, deadline.remainingMs()))}, true)`;
    const [, value] = await Promise.all([limit, fn(tx)]);
    return value;
  });
  return result as T;
}
