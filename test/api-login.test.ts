import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { postJson } from './support/http.ts';
import { adminHeaders, sql } from './support/stack.ts';

const stack = inject('stack');
const apiUrl = stack.urls.api;
const db = sql(stack);
// An address from a documentation range, unique to this run, so the rows found are this run's.
const attackerIp = `198.51.100.${randomInt(1, 255)}`;
const strangerEmail = `nobody-${randomUUID().slice(0, 8)}@shopfast.local`;

const login = (body: unknown, headers: Record<string, string> = {}) =>
  postJson(`${apiUrl}/api/login`, body, headers);

const resetLogins = () =>
  fetch(`${apiUrl}/admin/logins/reset`, { method: 'POST', headers: adminHeaders(stack) });

async function failedLast5m(): Promise<number> {
  const [row] = await db<{ failed: number }[]>`SELECT failed_last_5m::int AS failed FROM alert_failed_logins`;
  return row!.failed;
}

/** login_attempts_total{result} as the api reports it (0 before the first such result). */
async function loginMetric(result: string): Promise<number> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const line = new RegExp(`^login_attempts_total\\{result="${result}",service="api"\\} (\\S+)$`, 'm').exec(
    text,
  );
  return Number(line?.[1] ?? 0);
}

afterAll(async () => {
  // Leave no failed-login streak behind for the tests and alerts that follow.
  await resetLogins();
  await db.end();
});

describe('POST /api/login', () => {
  it.each([
    ['alice@shopfast.local', 'alice-demo-pass', 'Alice Example'],
    ['bob@shopfast.local', 'bob-demo-pass', 'Bob Example'],
    ['Carol@ShopFast.local', 'carol-demo-pass', 'Carol Example'],
  ])('logs in the demo user %s', async (email, password, name) => {
    const response = await login({ email, password });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: { email: email.toLowerCase(), name } });
  });

  it('answers a wrong password and an unknown user identically (401 invalid_credentials)', async () => {
    const wrongPassword = await login({ email: 'alice@shopfast.local', password: 'not-her-password' });
    const unknownUser = await login({ email: strangerEmail, password: 'whatever-123' });
    const [a, b] = (await Promise.all([wrongPassword.json(), unknownUser.json()])) as { requestId: string }[];
    expect([wrongPassword.status, unknownUser.status]).toEqual([401, 401]);
    expect({ ...a, requestId: 'x' }).toEqual({ ...b, requestId: 'x' });
    expect(a).toEqual({
      error: { code: 'invalid_credentials', message: expect.any(String) },
      requestId: wrongPassword.headers.get('x-request-id'),
    });
  });

  it('records every attempt with the first X-Forwarded-For address, else the socket address', async () => {
    const forwarded = { 'x-forwarded-for': `${attackerIp}, 10.0.0.7` };
    await login({ email: 'bob@shopfast.local', password: 'bob-demo-pass' }, forwarded);
    await login({ email: 'bob@shopfast.local', password: 'guess-1' }, forwarded);
    await login({ email: strangerEmail, password: 'guess-2' }, forwarded);
    const rows = await db`
      SELECT username, success FROM login_attempts WHERE client_ip = ${attackerIp} ORDER BY id`;
    expect(rows).toEqual([
      { username: 'bob@shopfast.local', success: true },
      { username: 'bob@shopfast.local', success: false },
      { username: strangerEmail, success: false },
    ]);

    const direct = `direct-${randomUUID().slice(0, 8)}@shopfast.local`;
    await login({ email: direct, password: 'guess-3' }, { 'x-forwarded-for': 'not-an-ip' });
    const [row] = await db`SELECT client_ip FROM login_attempts WHERE username = ${direct}`;
    expect(row).toEqual({ client_ip: '127.0.0.1' });
  });

  it('counts attempts in login_attempts_total by result', async () => {
    const read = async () => ({
      success: await loginMetric('success'),
      failure: await loginMetric('failure'),
    });
    const before = await read();
    await login({ email: 'alice@shopfast.local', password: 'alice-demo-pass' });
    await login({ email: 'alice@shopfast.local', password: 'nope-nope' });
    await login({ email: strangerEmail, password: 'nope-nope' });
    expect(await read()).toEqual({ success: before.success + 1, failure: before.failure + 2 });
  });

  it.each([
    ['malformed JSON', '{"email": "alice@', 400, 'bad_request'],
    ['missing password', { email: 'alice@shopfast.local' }, 400, 'invalid_body'],
    ['empty email', { email: '', password: 'x' }, 400, 'invalid_body'],
    ['a numeric password', { email: 'alice@shopfast.local', password: 12345 }, 400, 'invalid_body'],
    [
      'an email over 254 characters',
      { email: `${'a'.repeat(250)}@x.io`, password: 'x' },
      400,
      'invalid_body',
    ],
  ])('rejects %s', async (_, body, status, code) => {
    const response = await login(body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('rejects a form-encoded body with 415', async () => {
    const response = await fetch(`${apiUrl}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=alice%40shopfast.local&password=alice-demo-pass',
    });
    expect(response.status).toBe(415);
  });
});

describe('a login flood', () => {
  it('is checked a few at a time: the excess is refused with 429 at once, and not recorded as attempts', async () => {
    const flooder = `flood-${randomUUID().slice(0, 8)}@shopfast.local`;
    const throttledBefore = await loginMetric('throttled');
    const started = performance.now();
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login({ email: flooder, password: `flood-${i}` })),
    );
    const elapsedMs = performance.now() - started;
    const statuses = responses.map((r) => r.status);
    const refused = responses.filter((r) => r.status === 429);
    expect(
      statuses.every((s) => s === 401 || s === 429),
      statuses.join(','),
    ).toBe(true);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.headers.get('retry-after')).toBe('1');
    expect(((await refused[0]!.json()) as { error: { code: string } }).error.code).toBe('too_many_logins');
    const [row] = await db<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM login_attempts WHERE username = ${flooder}`;
    expect(row!.n).toBe(statuses.filter((s) => s === 401).length);
    expect((await loginMetric('throttled')) - throttledBefore).toBe(refused.length);
    console.log(
      `[api-login] 60 logins at once: ${refused.length} refused, all answered in ${Math.round(elapsedMs)} ms`,
    );
  });
});

describe('POST /admin/logins/reset', () => {
  it('needs the admin token', async () => {
    const response = await fetch(`${apiUrl}/admin/logins/reset`, { method: 'POST' });
    expect(response.status).toBe(401);
  });

  it('clears the failed-login streak so alert_failed_logins is back to 0', async () => {
    for (let i = 0; i < 5; i++) {
      await login({ email: strangerEmail, password: `brute-${i}` }, { 'x-forwarded-for': attackerIp });
    }
    expect(await failedLast5m()).toBeGreaterThanOrEqual(5);
    const response = await resetLogins();
    expect(response.status).toBe(200);
    const { cleared } = (await response.json()) as { cleared: number };
    expect(cleared).toBeGreaterThanOrEqual(5);
    expect(await failedLast5m()).toBe(0);
    // The evidence stays: the rows are marked, not deleted.
    const [row] = await db`
      SELECT count(*)::int AS n FROM login_attempts WHERE username = ${strangerEmail} AND cleared`;
    expect(row!.n).toBeGreaterThanOrEqual(5);
  });
});
