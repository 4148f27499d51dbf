import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { StackInfo } from '../../scripts/native/stack.ts';
import { adminHeaders } from './stack.ts';

/** The status page's colours (services/frontend/views/styles.ts) as the browser computes them. */
export const severityColors = {
  critical: 'rgb(127, 16, 16)',
  warning: 'rgb(242, 194, 0)',
  resolved: 'rgb(28, 124, 58)',
};

// Runs in the page; the project compiles without the DOM library, hence the narrow typing of the window.
type StyledWindow = { getComputedStyle(element: unknown): { backgroundColor: string } };

/**
 * The element's background colour. The pages swap their banner and cards as they refresh, and an
 * element swapped out while it is read has no style (""): then it is found and read again.
 */
export async function backgroundOf(locator: Locator): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const color = await locator.evaluate((element) =>
      (element as { isConnected: boolean }).isConnected
        ? (globalThis as unknown as StyledWindow).getComputedStyle(element).backgroundColor
        : '',
    );
    if (color !== '' || attempt === 10) return color;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Clears the status page's incidents, as `reset` does. */
export async function resetIncidents(stack: StackInfo): Promise<void> {
  const reset = await fetch(`${stack.urls.frontend}/admin/incidents/reset`, {
    method: 'POST',
    headers: adminHeaders(stack),
  });
  expect(reset.status).toBe(200);
}

/** Posts a notification to the frontend's webhook as Grafana's contact point does. */
export async function postWebhook(stack: StackInfo, payload: unknown): Promise<void> {
  const res = await fetch(`${stack.urls.frontend}/api/alerts/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-secret': stack.webhookSecret },
    body: JSON.stringify(payload),
  });
  expect(res.status, await res.text()).toBe(200);
}

/** Opens /status and waits until its live stream is connected. */
export async function openStatusPage(browser: Browser, stack: StackInfo): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${stack.urls.frontend}/status`);
  await page.locator('#live-state', { hasText: 'Live' }).waitFor({ timeout: 5_000 });
  return page;
}
