import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { launchChromium } from './support/browser.ts';
import {
  backgroundOf,
  openStatusPage,
  postWebhook,
  resetIncidents,
  severityColors,
} from './support/status-page.ts';

// The live status page in a real browser (Debian's chromium), against the stack's frontend process:
// Grafana's webhook payloads go in, and the open page must change without a reload.
const stack = inject('stack');
const frontendUrl = stack.urls.frontend;
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../services/frontend/fixtures/${name}`, import.meta.url), 'utf8'));
const firing = fixture('webhook-firing.json');
const apiAlert = '7d3f0c2a9b1e4c56';
const liveWithinMs = 2_000;

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(() => resetIncidents(stack));

/** The firing fixture with its alerts changed, e.g. resolved or another severity. */
function variant(change: (alert: Record<string, unknown>) => Record<string, unknown>, count = 2) {
  const alerts = firing.alerts.slice(0, count).map(change);
  const status = alerts.some((a: { status: string }) => a.status === 'firing') ? 'firing' : 'resolved';
  return { ...firing, status, alerts };
}

/** Posts, then measures how long the open page takes to show the selector. */
async function timeUntilShown(page: Page, selector: string, payload: unknown): Promise<number> {
  const started = performance.now();
  await postWebhook(stack, payload);
  await page.locator(selector).waitFor({ state: 'visible', timeout: liveWithinMs });
  return performance.now() - started;
}

describe('status page in Chromium', () => {
  it('shows a firing alert within 2 s in dark red, then turns it green when resolved', async () => {
    const page = await openStatusPage(browser, stack);
    expect(await page.locator('.all-clear').textContent()).toContain('All systems operational');

    const card = `article[data-fingerprint="${apiAlert}"]`;
    const shownMs = await timeUntilShown(page, `${card}[data-status="firing"]`, firing);
    console.log(`[status-page] firing alert visible after ${Math.round(shownMs)} ms`);
    expect(shownMs).toBeLessThan(liveWithinMs);
    const incident = page.locator(card);
    expect(await backgroundOf(incident)).toBe(severityColors.critical);
    const text = await incident.textContent();
    expect(text).toContain('High error rate');
    expect(text).toContain('Error rate above 5% on api');
    expect(text).toContain('api');
    expect(text).toContain('2026-11-22 10:15:20 UTC');
    expect(text).toContain('B = 0.1842');
    expect(await page.locator('#incident-banner-slot .banner').textContent()).toContain(
      '2 incidents in progress',
    );

    const resolved = variant((a) => ({ ...a, status: 'resolved', endsAt: new Date().toISOString() }));
    const resolvedMs = await timeUntilShown(page, `${card}[data-status="resolved"]`, resolved);
    console.log(`[status-page] resolved alert green after ${Math.round(resolvedMs)} ms`);
    expect(resolvedMs).toBeLessThan(liveWithinMs);
    expect(await backgroundOf(page.locator(card))).toBe(severityColors.resolved);
    await page.locator('#incident-banner-slot .banner').waitFor({ state: 'detached', timeout: liveWithinMs });
    await page.close();
  });

  it('shows warnings in yellow', async () => {
    const page = await openStatusPage(browser, stack);
    const warning = variant(
      (a) => ({
        ...a,
        fingerprint: 'warning-0001',
        labels: { ...(a.labels as object), alertname: 'Slow responses', severity: 'warning' },
      }),
      1,
    );
    await timeUntilShown(page, 'article[data-fingerprint="warning-0001"]', warning);
    expect(await backgroundOf(page.locator('article[data-fingerprint="warning-0001"]'))).toBe(
      severityColors.warning,
    );
    await page.close();
  });

  it('shows the banner on shop pages while an incident fires, and not once it is resolved', async () => {
    await postWebhook(stack, firing);
    const page = await browser.newPage();
    await page.goto(`${frontendUrl}/`);
    const banner = page.locator('#incident-banner-slot .banner');
    expect(await banner.textContent()).toContain('High error rate (api)');
    expect(await backgroundOf(banner)).toBe(severityColors.critical);

    await postWebhook(
      stack,
      variant((a) => ({ ...a, status: 'resolved', endsAt: new Date().toISOString() })),
    );
    await page.reload();
    expect(await banner.count()).toBe(0);
    await page.close();
  });

  it('renders a <script> in an alert summary as text, on the page and in live updates', async () => {
    const summary = '<script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2">';
    const hostile = variant(
      (a) => ({
        ...a,
        fingerprint: 'hostile-0001',
        annotations: { ...(a.annotations as object), summary },
      }),
      1,
    );
    const live = await openStatusPage(browser, stack);
    await timeUntilShown(live, 'article[data-fingerprint="hostile-0001"]', hostile);
    const reloaded = await browser.newPage();
    await reloaded.goto(`${frontendUrl}/status`);
    for (const page of [live, reloaded]) {
      const card = page.locator('article[data-fingerprint="hostile-0001"]');
      expect(await card.locator('p').textContent()).toBe(summary);
      expect(await card.locator('script, img').count()).toBe(0);
      expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
      await page.close();
    }
  });

  it('runs every kind of page under its Content-Security-Policy without a violation', async () => {
    await postWebhook(stack, firing);
    for (const path of [
      '/',
      '/products/SF-1003',
      '/cart?sku=SF-1003&quantity=1',
      '/docs/README.md',
      '/status',
    ]) {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      page.on('pageerror', (err) => violations.push(err.message));
      const response = await page.goto(`${frontendUrl}${path}`);
      expect(response?.headers()['content-security-policy'], path).toMatch(/^default-src 'none'/);
      // The inline style applies (the banner is red) and the inline script runs (status page goes live).
      expect(await backgroundOf(page.locator('#incident-banner-slot .banner')), path).toBe(
        severityColors.critical,
      );
      if (path === '/status')
        await page.locator('#live-state', { hasText: 'Live' }).waitFor({ timeout: 5_000 });
      expect(violations, path).toEqual([]);
      await page.close();
    }
  }, 60_000); // five pages in a browser
});
