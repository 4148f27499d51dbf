import postgres from 'postgres';
import type { StackInfo } from '../../scripts/native/stack.ts';

/** Headers that open the services' /admin API. */
export function adminHeaders(stack: StackInfo): Record<string, string> {
  return { authorization: `Bearer ${stack.adminToken}` };
}

/**
 * A client for the stack's database (the same one the services use). Close it with `await db.end()`
 * in afterAll; notices such as "already exists, skipping" are silenced.
 */
export function sql(stack: StackInfo): postgres.Sql {
  return postgres(stack.databaseUrl, { max: 2, onnotice: () => {} });
}
