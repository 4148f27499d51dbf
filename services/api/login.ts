import type { Hono } from 'hono';
import { z } from 'zod';
import { HttpError, jsonBody, type KitEnv, type Sql } from '../kit/index.ts';
import { clientIp } from './client-ip.ts';
import type { ApiMetrics } from './metrics.ts';
import { parsePasswordHash, unmatchableHash, verifyPassword } from './passwords.ts';

export interface LoginDeps {
  sql: Sql;
  metrics: ApiMetrics;
}

// Any username is accepted (attackers try 'admin' too): every attempt must reach login_attempts.
const loginRequest = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
});

const invalidCredentials = () =>
  new HttpError(401, 'invalid_credentials', 'The email or password is incorrect');

interface UserRow {
  email: string;
  name: string;
  password_hash: string;
}

/** POST /api/login and POST /admin/logins/reset. */
export function registerLoginRoutes(app: Hono<KitEnv>, { sql, metrics }: LoginDeps): void {
  const decoy = unmatchableHash();

  app.post('/api/login', jsonBody(loginRequest), async (c) => {
    const { email, password } = c.req.valid('json');
    const username = email.toLowerCase();
    const ip = clientIp(c);
    const log = c.get('logger');
    const [user] = await sql<
      UserRow[]
    >`SELECT email, name, password_hash FROM users WHERE email = ${username}`;
    const stored = user && parsePasswordHash(user.password_hash);
    if (user && !stored) log.error({ username }, 'stored password hash is unreadable');
    // Unknown users are checked against the decoy so both paths cost one scrypt.
    const matches = await verifyPassword(password, stored ?? decoy);
    const success = matches && stored !== undefined;
    await sql`INSERT INTO login_attempts (username, client_ip, success) VALUES (${username}, ${ip}, ${success})`;
    metrics.logins.inc({ result: success ? 'success' : 'failure' });
    if (!success || !user) {
      log.warn({ username, clientIp: ip }, 'login failed');
      throw invalidCredentials();
    }
    log.info({ username, clientIp: ip }, 'login succeeded');
    return c.json({ user: { email: user.email, name: user.name } });
  });

  app.post('/admin/logins/reset', async (c) => {
    const result = await sql`
      UPDATE login_attempts SET cleared = true WHERE NOT success AND NOT cleared`;
    c.get('logger').warn({ cleared: result.count }, 'failed login attempts cleared');
    return c.json({ cleared: result.count });
  });
}
