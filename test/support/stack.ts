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

/**
 * A client signed in as another role of the stack's database (e.g. Grafana's read-only one). The
 * native runner's throwaway server trusts loopback connections: the password is not checked.
 */
export function sqlAs(stack: StackInfo, role: string): postgres.Sql {
  const url = new URL(stack.databaseUrl);
  url.username = role;
  return postgres(url.toString(), { max: 1, onnotice: () => {} });
}
