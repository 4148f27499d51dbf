import { randomUUID } from 'node:crypto';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { apiSettingsFrom } from '../services/api/settings.ts';
import { demoShoppers } from '../domain/shoppers.ts';
import { rejectedMessage, throttledMessage } from '../services/frontend/views/account.tsx';
import { securityBreach } from '../simulator/scenarios/security-breach.ts';
import { launchChromium } from './support/browser.ts';
import { postJson } from './support/http.ts';
import { adminHeaders, sql } from './support/stack.ts';

// The shop's sign-in, account and sign-in activity pages in a real browser (Debian's chromium),
// against the stack's frontend, api and PostgreSQL.
const stack = inject('stack');
const frontendUrl = stack.urls.frontend;
const apiUrl = stack.urls.api;
const db = sql(stack);
const [alice, bob] = demoShoppers as [(typeof demoShoppers)[number], (typeof demoShoppers)[number]];

// The attack the security-breach scenario plays: its accounts and addresses.
const bruteForce = securityBreach.phases
  .flatMap((phase) => phase.mix)
  .map((entry) => entry.journey)
  .find((journey) => journey.kind === 'brute-force-login');
if (!bruteForce || bruteForce.kind !== 'brute-force-login')
  throw new Error('security-breach has no brute force');

let browser: Browser;

const resetLogins = async () => {
  const res = await fetch(`${apiUrl}/admin/logins/reset`, { method: 'POST', headers: adminHeaders(stack) });
  expect(res.status).toBe(200);
};

beforeAll(async () => {
  browser = await launchChromium();
});
beforeEach(resetLogins);
afterAll(async () => {
  await browser?.close();
  // Leave no failed-login streak behind for the tests and alerts that follow.
  await resetLogins();
  await db.end();
});

/** Fills the sign-in form and submits it; returns the answer to the POST. */
async function signIn(page: Page, email: string, password: string): Promise<Response> {
  await page.goto(`${frontendUrl}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${frontendUrl}/login` && r.request().method() === 'POST'),
    page.click('form.stacked button[type="submit"]'),
  ]);
  await page.waitForLoadState();
  return answer;
}

const noticeOf = (page: Page) => page.locator('p.notice').textContent();

describe('signing in, in Chromium', () => {
  it('lists the demo shoppers, signs one in with a signed HttpOnly SameSite=Lax cookie and shows their name', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${frontendUrl}/login`);
    for (const shopper of demoShoppers) {
      const row = page.locator(`tr[data-email="${shopper.email}"]`);
      expect(await row.textContent()).toBe(`${shopper.name}${shopper.email}${shopper.password}`);
    }

    const answer = await signIn(page, alice.email, alice.password);
    expect(answer.status()).toBe(303);
    expect(page.url()).toBe(`${frontendUrl}/account`);
    expect(await page.locator('h1.shopper-name').textContent()).toBe(`Hello, ${alice.name}`);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'shopfast_session', httpOnly: true, sameSite: 'Lax', path: '/' });
    // Not readable by the page's scripts.
    expect(
      await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie),
    ).toBe('');

    await page.click('form[action="/logout"] button');
    expect(page.url()).toBe(`${frontendUrl}/login`);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('shows the same message for a wrong password and for an account that does not exist', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const known = await signIn(page, alice.email, 'not-her-password');
    const knownNotice = await noticeOf(page);
    const unknown = await signIn(page, `nobody-${randomUUID().slice(0, 8)}@shopfast.local`, 'not-a-password');
    const unknownNotice = await noticeOf(page);
    expect([known.status(), unknown.status()]).toEqual([401, 401]);
    expect(knownNotice).toBe(rejectedMessage);
    expect(unknownNotice).toBe(knownNotice);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('shows the shopper the orders they placed while signed in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, bob.email, bob.password);
    await page.goto(`${frontendUrl}/products/SF-1003`);
    // Checkout starts with the signed-in shopper's email.
    expect(await page.inputValue('form.checkout input[name="email"]')).toBe(bob.email);
    await page.click('form.checkout button[type="submit"]');
    const orderId = await page.locator('.order-id').textContent();
    expect(orderId).toMatch(/^[0-9a-f-]{36}$/);

    await page.goto(`${frontendUrl}/account`);
    const row = page.locator(`tr[data-order-id="${orderId}"]`);
    expect(await row.getAttribute('data-order-status')).toBe('paid');
    expect(await row.textContent()).toContain('1 × Insulated Steel Water Bottle');
    const [stored] = await db<{ n: number }[]>`
      SELECT count(*)::int AS n FROM orders WHERE lower(customer_email) = ${bob.email}`;
    expect(await page.locator('table.orders tbody tr').count()).toBe(Math.min(stored!.n, 20));
    await context.close();
  });

  it('says "try again later" while the api throttles sign-ins', async () => {
    // Keep the api's scrypt slots and queue full: each flooder sends its next login as soon as the
    // last one is answered. Bounded: it stops with the test, at the latest after 20 s.
    // The stack's api reads the same environment as this process.
    const { concurrency, maxQueued } = apiSettingsFrom(process.env).scryptLimits;
    const flooder = `flood-${randomUUID().slice(0, 8)}@shopfast.local`;
    const until = Date.now() + 20_000;
    let flooding = true;
    let refused = 0;
    const flood = Array.from({ length: 2 * (concurrency + maxQueued) + 4 }, async () => {
      while (flooding && Date.now() < until) {
        const res = await postJson(`${apiUrl}/api/login`, { email: flooder, password: 'guess' });
        await res.body?.cancel();
        if (res.status === 429) {
          refused++;
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      }
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      while (refused === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      // A sign-in can slip into a slot the moment one frees (more often on a busy machine): some tries.
      let answer: Response | undefined;
      let tries = 0;
      while (tries < 20 && answer?.status() !== 429 && Date.now() < until) {
        answer = await signIn(page, alice.email, 'a-guess');
        tries++;
      }
      console.log(
        `[login-page] throttled sign-in shown after ${tries} tries (${refused} flood logins refused)`,
      );
      expect(answer?.status()).toBe(429);
      expect(await noticeOf(page)).toBe(throttledMessage);
      expect(throttledMessage).toMatch(/try again later/i);
    } finally {
      flooding = false;
      await Promise.all(flood);
      await context.close();
    }
  });
});

describe('watching a brute-force attack in Chromium', () => {
  /** The failed-logins rule's own query. */
  const alertCount = async () =>
    (await db<{ n: number }[]>`SELECT failed_last_5m::int AS n FROM alert_failed_logins`)[0]!.n;
  const shownTotal = (page: Page) =>
    page.locator('#sign-in-activity [data-failed-last-5m]').getAttribute('data-failed-last-5m');

  it('the sign-in activity page follows the attack live, as the alert counts it, and clears on reset', async () => {
    const page = await browser.newPage();
    await page.goto(`${frontendUrl}/login/attempts`);
    expect(await shownTotal(page)).toBe('0');
    expect(await page.locator('#sign-in-activity').textContent()).toContain('No failed sign-ins');

    // The scenario's attack: wrong passwords for its accounts, from its addresses, to the api.
    const guesses = bruteForce.accounts.flatMap((account) =>
      bruteForce.fromIps.map((ip, i) => ({ account, ip, password: `guess-${i}` })),
    );
    for (const { account, ip, password } of guesses) {
      const res = await postJson(
        `${apiUrl}/api/login`,
        { email: account, password },
        { 'x-forwarded-for': ip },
      );
      expect(res.status).toBe(401);
    }
    // No reload: the page swaps its table in every 2 s.
    await page
      .locator(`#sign-in-activity [data-failed-last-5m="${guesses.length}"]`)
      .waitFor({ timeout: 5_000 });
    expect(await alertCount()).toBe(guesses.length);
    for (const account of bruteForce.accounts) {
      const row = page.locator(`tr[data-account="${account}"]`);
      expect(await row.getAttribute('data-failed')).toBe(String(bruteForce.fromIps.length));
      expect(await row.locator('td').nth(2).textContent()).toBe([...bruteForce.fromIps].sort().join(', '));
    }
    expect(await page.locator('.activity-total').textContent()).toContain('Failed logins fires above 4');

    // A wrong password typed into the shop counts too, from the browser's address.
    const shop = await browser.newPage();
    await signIn(shop, 'carol@shopfast.local', 'wrong-password');
    await shop.close();
    await page.locator(`tr[data-account="carol@shopfast.local"]`).waitFor({ timeout: 5_000 });
    expect(await page.locator(`tr[data-account="carol@shopfast.local"] td`).nth(2).textContent()).toBe(
      '127.0.0.1',
    );
    expect(await shownTotal(page)).toBe(String(await alertCount()));

    await resetLogins();
    await page.locator('#sign-in-activity [data-failed-last-5m="0"]').waitFor({ timeout: 5_000 });
    await page.close();
  });

  it('runs the sign-in, account and activity pages under their Content-Security-Policy without a violation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (err) => violations.push(err.message));
    await signIn(page, alice.email, alice.password);
    await page.goto(`${frontendUrl}/login/attempts`);
    // The inline script runs: the table is fetched again within its refresh interval.
    await page.waitForResponse(`${frontendUrl}/login/attempts/live`, { timeout: 5_000 });
    expect(violations).toEqual([]);
    await context.close();
  });
});
