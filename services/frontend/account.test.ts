import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoShoppers } from '../../domain/shoppers.ts';
import { createKit, HttpError, type ServiceKit } from '../kit/index.ts';
import { createApiClient } from './api-client.ts';
import { createFrontendApp } from './app.ts';
import { IncidentStore } from './incidents.ts';
import { loginForm } from './login-form.ts';
import { frontendSettingsFrom } from './settings.ts';
import { sessionCookieName, sessionKeyFrom, Sessions } from './session.ts';
import type { ShopperOrder, ShopperRecords, SignInActivity } from './shopper-records.ts';
import { StatusStream } from './status-stream.ts';
import { rejectedMessage, throttledMessage } from './views/account.tsx';

// The api stands in as a small HTTP server, so the frontend's real client maps its answers.
interface LoginReply {
  status: number;
  body: unknown;
}
const alice = { email: 'alice@shopfast.local', name: 'Alice <Example>' };
const invalidCredentials = {
  error: { code: 'invalid_credentials', message: 'The email or password is incorrect' },
  requestId: 'r',
};
const shoes = {
  sku: 'SF-1001',
  name: 'Shoes',
  description: '',
  priceCents: 100,
  stock: 5,
  lowStockThreshold: 1,
};
const fakeApi = {
  server: undefined as Server | undefined,
  url: '',
  reply: { status: 200, body: { user: alice } } as LoginReply,
  logins: [] as Array<{ body: unknown; forwardedFor: string | undefined }>,
};

beforeAll(async () => {
  fakeApi.server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    if (req.url === '/api/login' && req.method === 'POST') {
      fakeApi.logins.push({
        body: JSON.parse(text),
        forwardedFor: req.headers['x-forwarded-for'] as string | undefined,
      });
      res.writeHead(fakeApi.reply.status, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(fakeApi.reply.body));
    }
    if (req.url === '/api/products/SF-1001') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ product: shoes }));
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: 'no route' }, requestId: 'r' }));
  });
  await new Promise<void>((resolve) => fakeApi.server!.listen(0, '127.0.0.1', resolve));
  fakeApi.url = `http://127.0.0.1:${(fakeApi.server!.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => fakeApi.server?.close(resolve)));

const order: ShopperOrder = {
  id: '0b7c9a52-8f7e-4c1e-9d7e-1f2a3b4c5d6e',
  status: 'paid',
  totalCents: 17998,
  currency: 'USD',
  createdAt: new Date('2026-11-22T10:15:20Z'),
  items: [{ sku: 'SF-1001', name: 'Trail <Shoes>', quantity: 2 }],
};
const attack: SignInActivity = {
  failedLast5m: 7,
  accounts: [
    {
      account: 'alice@shopfast.local',
      failed: 5,
      addressCount: 7,
      addresses: ['198.51.100.23', '203.0.113.45', '203.0.113.46', '203.0.113.47', '203.0.113.7'],
      lastAttemptAt: new Date('2026-11-22T10:16:00Z'),
    },
    {
      account: '<b>admin</b>',
      failed: 2,
      addressCount: 1,
      addresses: ['203.0.113.7'],
      lastAttemptAt: new Date('2026-11-22T10:15:58Z'),
    },
  ],
};

const kits: ServiceKit[] = [];
let records: {
  orders: Map<string, ShopperOrder[]>;
  activity: SignInActivity;
  failure: Error | undefined;
};
beforeEach(() => {
  fakeApi.reply = { status: 200, body: { user: alice } };
  fakeApi.logins = [];
  records = { orders: new Map([[alice.email, [order]]]), activity: attack, failure: undefined };
});
afterEach(async () => {
  await Promise.all(kits.splice(0).map((kit) => kit.close()));
});

const fakeRecords: ShopperRecords = {
  ordersOf: async (email) => {
    if (records.failure) throw records.failure;
    return records.orders.get(email) ?? [];
  },
  signInActivity: async () => {
    if (records.failure) throw records.failure;
    return records.activity;
  },
};

const key = sessionKeyFrom('webhook-secret-for-tests');
function frontend(sessions = new Sessions(key)) {
  const kit = createKit(frontendSettingsFrom({ LOG_LEVEL: 'fatal' }));
  kits.push(kit);
  const incidents = new IncidentStore();
  const app = createFrontendApp(kit, {
    api: createApiClient(fakeApi.url),
    incidents,
    statusStream: new StatusStream(incidents),
    accounts: { records: fakeRecords, sessions },
  });
  return { app, kit };
}

const origin = 'http://localhost';
const signIn = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', origin, ...headers },
  body: new URLSearchParams(fields).toString(),
});
const aliceForm = { email: 'alice@shopfast.local', password: 'alice-demo-pass' };

/** The session cookie a successful sign-in sets, as the browser would send it back. */
async function signedInCookie(app: ReturnType<typeof frontend>['app']): Promise<string> {
  const res = await app.request('/login', signIn(aliceForm));
  expect(res.status).toBe(303);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** The notice the sign-in page shows, e.g. <p class="notice notice-rejected" ...>…</p>. */
const noticeOf = (page: string) => page.match(/<p class="notice[^>]*>[^<]*<\/p>/)?.[0];

describe('the sign-in page', () => {
  it('lists every demo shopper with name, email and password, under the pages CSP', async () => {
    const { app, kit } = frontend();
    const res = await app.request('/login');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    const page = await res.text();
    for (const shopper of demoShoppers) {
      expect(page).toContain(`<tr data-email="${shopper.email}"><td>${shopper.name}</td>`);
      expect(page).toContain(`<code>${shopper.password}</code>`);
    }
    expect(page).toContain('<form class="stacked" method="post" action="/login">');
    expect(await kit.metrics.registry.getSingleMetricAsString('page_views_total')).toMatch(
      /page_views_total\{page="login",service="frontend"\} 1/,
    );
  });

  it('signs in: the api hears the form and the address chain, the shopper gets a signed HttpOnly, SameSite=Lax cookie', async () => {
    const { app } = frontend();
    const res = await app.request('/login', signIn(aliceForm, { 'x-forwarded-for': '203.0.113.9' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account');
    expect(fakeApi.logins).toEqual([{ body: aliceForm, forwardedFor: '203.0.113.9' }]);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      new RegExp(`^${sessionCookieName}=[^;]+\\.[^;]+; Max-Age=28800; Path=/; HttpOnly; SameSite=Lax$`),
    );
    expect(cookie).not.toContain('Secure');
  });

  it('shows the same message, with 401, for a wrong password and for an account that does not exist', async () => {
    const { app } = frontend();
    fakeApi.reply = { status: 401, body: invalidCredentials };
    const wrong = await app.request('/login', signIn({ email: alice.email, password: 'nope' }));
    const unknown = await app.request('/login', signIn({ email: 'nobody@shopfast.local', password: 'nope' }));
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.headers.has('set-cookie')).toBe(false);
    const [a, b] = [noticeOf(await wrong.text()), noticeOf(await unknown.text())];
    expect(a).toContain(rejectedMessage);
    expect(a).toBe(b);
  });

  it('says "try again later" with 429 when the api throttles sign-ins', async () => {
    const { app } = frontend();
    fakeApi.reply = {
      status: 429,
      body: { error: { code: 'too_many_logins', message: 'Too many logins at once' }, requestId: 'r' },
    };
    const res = await app.request('/login', signIn(aliceForm));
    expect(res.status).toBe(429);
    const notice = noticeOf(await res.text());
    expect(notice).toContain(throttledMessage);
    expect(throttledMessage).toMatch(/try again later/i);
  });

  it('shows an error page (not the form) when the api fails', async () => {
    const { app } = frontend();
    fakeApi.reply = {
      status: 500,
      body: { error: { code: 'internal_error', message: 'boom' }, requestId: 'r' },
    };
    const res = await app.request('/login', signIn(aliceForm));
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('Something went wrong');
  });

  it.each([
    ['no password', { email: alice.email }, 'password: is required'],
    ['an empty email', { email: '  ', password: 'x' }, 'email: is required'],
    [
      'an email over 254 characters',
      { email: `${'a'.repeat(250)}@x.io`, password: 'x' },
      'email: must be at most 254',
    ],
    [
      'a password over 1024 characters',
      { email: alice.email, password: 'p'.repeat(1025) },
      'password: must be at most 1024',
    ],
  ])('answers %s with 400 and names the problem, without asking the api', async (_, fields, problem) => {
    const { app } = frontend();
    const res = await app.request('/login', signIn(fields));
    expect(res.status).toBe(400);
    expect(noticeOf(await res.text())).toContain(problem);
    expect(fakeApi.logins).toEqual([]);
  });

  it('answers a JSON body with 400, and a form from another site with 403, both as pages that say why', async () => {
    const { app } = frontend();
    const json = await app.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(aliceForm),
    });
    expect(json.status).toBe(400);
    expect(noticeOf(await json.text())).toContain('email: is required; password: is required');
    const foreign = await app.request('/login', signIn(aliceForm, { origin: 'http://evil.example' }));
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await foreign.text()).toContain('This form is accepted only from the shop&#39;s own pages');
    expect(fakeApi.logins).toEqual([]);
  });
});

describe('the account page', () => {
  it("shows the signed-in shopper's name and orders, escaped", async () => {
    const { app } = frontend();
    const cookie = await signedInCookie(app);
    const res = await app.request('/account', { headers: { cookie } });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Hello, Alice &lt;Example&gt;');
    expect(page).toContain(`<tr data-order-id="${order.id}" data-order-status="paid">`);
    expect(page).toContain('2 × Trail &lt;Shoes&gt;');
    expect(page).toContain('$179.98');
    expect(page).toContain('2026-11-22 10:15:20 UTC');
  });

  it('says so when the shopper has no orders yet', async () => {
    const { app } = frontend();
    records.orders.clear();
    const page = await (
      await app.request('/account', { headers: { cookie: await signedInCookie(app) } })
    ).text();
    expect(page).toContain('No orders yet. Orders placed with alice@shopfast.local at checkout appear here.');
  });

  it('sends anyone without a valid session to the sign-in page: no cookie, a tampered one, an expired one', async () => {
    let now = Date.now();
    const { app } = frontend(new Sessions(key, () => now));
    const cookie = await signedInCookie(app);
    const [name, signed] = cookie.split('=') as [string, string];
    const [value, signature] = decodeURIComponent(signed).split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(value, 'base64url').toString()),
        email: 'bob@shopfast.local',
      }),
    ).toString('base64url');
    for (const sent of [undefined, `${name}=${encodeURIComponent(`${forged}.${signature}`)}`]) {
      const res = await app.request('/account', { headers: sent ? { cookie: sent } : {} });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/login');
    }
    expect((await app.request('/account', { headers: { cookie } })).status).toBe(200);
    now += 8 * 60 * 60 * 1000;
    expect((await app.request('/account', { headers: { cookie } })).headers.get('location')).toBe('/login');
  });

  it('signs out: the cookie is removed', async () => {
    const { app } = frontend();
    const res = await app.request('/logout', {
      method: 'POST',
      headers: { cookie: await signedInCookie(app), origin },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`^${sessionCookieName}=; Max-Age=0; Path=/`));
  });

  it("fills the signed-in shopper's email into the checkout form", async () => {
    const { app } = frontend();
    const emailField = /<input type="email" name="email"[^>]*>/;
    const anonymous = await (await app.request('/products/SF-1001')).text();
    expect(anonymous.match(emailField)?.[0]).not.toContain('value=');
    const cookie = await signedInCookie(app);
    const signedIn = await (await app.request('/products/SF-1001', { headers: { cookie } })).text();
    expect(signedIn.match(emailField)?.[0]).toContain(`value="${alice.email}"`);
  });

  it('answers 503 with the fix when the database predates the page', async () => {
    const { app } = frontend();
    const cookie = await signedInCookie(app);
    records.failure = new HttpError(503, 'database_outdated', 'apply postgres/init.sql again');
    const res = await app.request('/account', { headers: { cookie } });
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('apply postgres/init.sql again');
  });
});

describe('the sign-in activity page', () => {
  it('lists failed sign-ins per account with their addresses, the total and where the alert fires', async () => {
    const { app } = frontend();
    const res = await app.request('/login/attempts');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('data-refresh-url="/login/attempts/live" data-refresh-seconds="2"');
    expect(page).toContain(
      '<strong data-failed-last-5m="7">7</strong> failed sign-ins in the last 5 minutes',
    );
    expect(page).toContain('<em>Failed logins</em> fires above 4');
    expect(page).toContain('<tr data-account="alice@shopfast.local" data-failed="5">');
    expect(page).toContain('198.51.100.23, 203.0.113.45, 203.0.113.46, 203.0.113.47, 203.0.113.7 and 2 more');
    expect(page).toContain('&lt;b&gt;admin&lt;/b&gt;');
  });

  it('serves the table alone for the page to swap in, and says when nothing failed', async () => {
    const { app } = frontend();
    records.activity = { failedLast5m: 0, accounts: [] };
    const res = await app.request('/login/attempts/live');
    expect(res.status).toBe(200);
    const fragment = await res.text();
    expect(fragment).not.toContain('<html');
    expect(fragment).toContain('data-failed-last-5m="0"');
    expect(fragment).toContain('No failed sign-ins in the last 5 minutes.');
  });
});

describe('the login form schema', () => {
  it('trims the email and keeps the password as typed', () => {
    expect(loginForm.parse({ email: ' alice@shopfast.local ', password: ' pass ' })).toEqual({
      email: 'alice@shopfast.local',
      password: ' pass ',
    });
  });

  it('calls a field sent as a file "must be text"', () => {
    const result = loginForm.safeParse({ email: new File(['x'], 'x.txt'), password: 'x' });
    expect(result.error?.issues[0]?.message).toBe('must be text');
  });
});
