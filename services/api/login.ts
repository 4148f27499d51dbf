import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { HttpError, jsonBody, type KitEnv, type Sql } from '../kit/index.ts';
import { clientIp } from './client-ip.ts';
import type { ApiMetrics } from './metrics.ts';
import { parsePasswordHash, unmatchableHash, verifyPassword } from './passwords.ts';
import { GateFullError, WorkGate, type WorkGateLimits } from './work-gate.ts';

export interface LoginDeps {
  sql: Sql;
  metrics: ApiMetrics;
  /**
   * How many scrypt checks run at once and wait (LOGIN_SCRYPT_*, settings.ts). Each takes ~50 ms of
   * a core on one of libuv's threads: beyond the queue a login is refused at once, so a flood costs
   * bounded CPU and leaves threads and cores to orders.
   */
  scryptLimits: WorkGateLimits;
}

// Any username is accepted (attackers try 'admin' too): every attempt checked must reach login_attempts.
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

/** POST /api/login, GET /admin/logins and POST /admin/logins/reset. */
export function registerLoginRoutes(app: Hono<KitEnv>, { sql, metrics, scryptLimits }: LoginDeps): void {
  const decoy = unmatchableHash();
  const scrypt = new WorkGate(scryptLimits);
  // 429, not 503: a throttled flood is the client's doing, and must not fire the api's 5xx alert.
  const refuse = (c: Context<KitEnv>): never => {
    // Not a try at the password, so not a failed login either: nothing goes to login_attempts.
    metrics.logins.inc({ result: 'throttled' });
    c.header('Retry-After', '1');
    throw new HttpError(429, 'too_many_logins', 'Too many logins at once; try again in a moment');
  };

  app.post('/api/login', jsonBody(loginRequest), async (c) => {
    // Refused before the user lookup too: a flood should cost as little as possible.
    if (scrypt.full) refuse(c);
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
    const matches = await scrypt
      .run(() => verifyPassword(password, stored ?? decoy))
      .catch((err: unknown) => (err instanceof GateFullError ? refuse(c) : Promise.reject(err)));
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

  // The failed-logins rule's own count (its view), so `shopfast-sim check` can tell a streak still
  // there from one cleared whose alert has yet to resolve.
  app.get('/admin/logins', async (c) => {
    const [row] = await sql<{ failed: number }[]>`
      SELECT failed_last_5m::int AS failed FROM alert_failed_logins`;
    return c.json({ failedLast5m: row?.failed ?? 0 });
  });

  app.post('/admin/logins/reset', async (c) => {
    const result = await sql`
      UPDATE login_attempts SET cleared = true WHERE NOT success AND NOT cleared`;
    c.get('logger').warn({ cleared: result.count }, 'failed login attempts cleared');
    return c.json({ cleared: result.count });
  });
}
