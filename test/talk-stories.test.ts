import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import {
  alertByUid,
  alertCatalog,
  secondsToFireIn,
  type AlertDefinition,
  type InstanceLabels,
} from '../domain/alerts.ts';
import { scenarioNames, type PhasedScenarioName } from '../domain/scenarios.ts';
import { receiversFor } from '../grafana/src/notifications.ts';
import { alertInstanceLabels } from '../grafana/src/rules.ts';
import { launchChromium } from './support/browser.ts';
import {
  backgroundOf,
  openStatusPage,
  postWebhook,
  resetIncidents,
  severityColors,
} from './support/status-page.ts';

// What TALK_NOTES.md says the status page shows during each story, in Chromium. The notifications
// are built as Grafana would send them for the alert instances the catalog says each scenario fires:
// the rule's labels for that instance, its summary and panel link, one per receiver it is routed to.
const stack = inject('stack');
const grafanaUrl = 'http://localhost:3000';
const panelLinks = new Map(
  (
    parse(readFileSync(new URL('../grafana/provisioning/alerting/rules.yaml', import.meta.url), 'utf8')) as {
      groups: { rules: { uid: string; dashboardUid?: string; panelId?: number }[] }[];
    }
  ).groups
    .flatMap((group) => group.rules)
    .filter((rule) => rule.dashboardUid !== undefined && rule.panelId !== undefined)
    .map((rule) => [rule.uid, `${grafanaUrl}/d/${rule.dashboardUid}?orgId=1&viewPanel=${rule.panelId}`]),
);

interface Notified {
  uid: string;
  instance: InstanceLabels;
  fingerprint: string;
  receivers: string[];
  alert: Record<string, unknown>;
}

/** One alert of a Grafana notification, as its webhook contact point sends it. */
function notified(alert: AlertDefinition, instance: InstanceLabels, status: 'firing' | 'resolved'): Notified {
  const labels = alertInstanceLabels(alert, instance);
  const fingerprint = createHash('sha256').update(JSON.stringify(labels)).digest('hex').slice(0, 16);
  return {
    uid: alert.uid,
    instance,
    fingerprint,
    receivers: receiversFor(labels),
    alert: {
      status,
      labels,
      annotations: { summary: alert.summary },
      startsAt: '2026-11-22T10:15:20Z',
      endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-11-22T10:17:00Z',
      fingerprint,
      values: { B: 1, C: 1 },
      generatorURL: `${grafanaUrl}/alerting/grafana/${alert.uid}/view?orgId=1`,
      panelURL: panelLinks.get(alert.uid) ?? '',
    },
  };
}

/** Every alert instance the catalog expects of the scenario, in the order they fire. */
function firesIn(scenario: PhasedScenarioName, status: 'firing' | 'resolved' = 'firing'): Notified[] {
  return alertCatalog
    .filter((alert) => alert.firesIn[scenario])
    .sort((a, b) => secondsToFireIn(a, scenario) - secondsToFireIn(b, scenario))
    .flatMap((alert) => alert.firesIn[scenario]!.map((instance) => notified(alert, instance, status)));
}

/** Every alert instance any scenario fires, once each. */
function everyInstance(status: 'firing' | 'resolved'): Notified[] {
  const all = scenarioNames
    .filter((name): name is PhasedScenarioName => name !== 'all')
    .flatMap((scenario) => firesIn(scenario, status));
  return [...new Map(all.map((a) => [a.fingerprint, a])).values()];
}

const notification = (alerts: Notified[], receiver = 'shop-team') => ({
  receiver,
  status: alerts.some((a) => a.alert.status === 'firing') ? 'firing' : 'resolved',
  alerts: alerts.map((a) => a.alert),
});

/** What each receiver the alerts are routed to is sent, as Grafana sends one notification per contact point. */
async function notifyEveryReceiver(alerts: Notified[]): Promise<void> {
  for (const receiver of new Set(alerts.flatMap((a) => a.receivers))) {
    await postWebhook(
      stack,
      notification(
        alerts.filter((a) => a.receivers.includes(receiver)),
        receiver,
      ),
    );
  }
}

const card = (page: Page, alert: Notified) =>
  page.locator(`article[data-fingerprint="${alert.fingerprint}"]`);
const banner = (page: Page) => page.locator('#incident-banner-slot .banner');
const severityOf = (uid: string) => alertByUid(uid)!.severity;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await resetIncidents(stack);
});
beforeEach(() => resetIncidents(stack));

describe('the stories of TALK_NOTES.md on the status page, in Chromium', () => {
  it('flash-sale: "The status page turns yellow, then dark red, without a reload"', async () => {
    const [low, critical] = firesIn('flash-sale');
    expect([low?.uid, critical?.uid]).toEqual(['low-inventory', 'critical-inventory']);
    expect([severityOf('low-inventory'), severityOf('critical-inventory')]).toEqual(['warning', 'critical']);
    const page = await openStatusPage(browser, stack);

    await postWebhook(stack, notification([low!]));
    await card(page, low!).waitFor({ timeout: 2_000 });
    expect(await backgroundOf(card(page, low!))).toBe(severityColors.warning);
    expect(await backgroundOf(banner(page))).toBe(severityColors.warning);
    expect(await card(page, low!).textContent()).toContain('Low inventory');

    await postWebhook(stack, notification([critical!]));
    await card(page, critical!).waitFor({ timeout: 2_000 });
    expect(await backgroundOf(card(page, critical!))).toBe(severityColors.critical);
    expect(await backgroundOf(banner(page))).toBe(severityColors.critical);
    expect(await banner(page).textContent()).toContain('2 incidents in progress');
    await page.close();
  });

  it('payment-failures: "The status page shows them as critical" (payment and api, from two data sources)', async () => {
    const alerts = firesIn('payment-failures');
    expect(alerts.map((a) => `${a.uid} ${a.instance.service ?? ''}`.trim()).sort()).toEqual([
      'high-error-rate api',
      'high-error-rate payment',
      'payment-failures',
    ]);
    const page = await openStatusPage(browser, stack);
    await postWebhook(stack, notification(alerts));
    for (const alert of alerts) {
      await card(page, alert).waitFor({ timeout: 2_000 });
      expect(await card(page, alert).getAttribute('data-severity')).toBe('critical');
      expect(await backgroundOf(card(page, alert))).toBe(severityColors.critical);
    }
    const services = await page.locator('article.incident dd').allTextContents();
    expect(services).toEqual(expect.arrayContaining(['api', 'payment']));
    await page.close();
  });

  it('notifications act: "The status page lists each incident with the receivers that were told and when"', async () => {
    const page = await openStatusPage(browser, stack);
    /** The receivers the open page lists as told that the alert fires. */
    const toldOf = async (alert: Notified) => {
      const told = card(page, alert).locator('li[data-receiver][data-status="firing"]');
      await told.nth(alert.receivers.length - 1).waitFor({ timeout: 2_000 });
      expect(await told.first().locator('time').textContent()).toMatch(
        /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/,
      );
      return (await told.locator('strong').allTextContents()).sort();
    };

    // "Run payment-failures and point at the two receivers on its incident."
    const payments = firesIn('payment-failures');
    await notifyEveryReceiver(payments);
    const failures = payments.find((a) => a.uid === 'payment-failures')!;
    expect(await toldOf(failures)).toEqual(['on-call', 'shop-team']);
    for (const alert of payments) expect(await toldOf(alert)).toEqual([...alert.receivers].sort());

    // "Run low-inventory and show merchandising hearing of each SKU on its own."
    const stock = firesIn('low-inventory');
    expect(stock.map((a) => a.instance.sku).sort()).toEqual(['SF-1004', 'SF-1008']);
    for (const alert of stock) await notifyEveryReceiver([alert]);
    for (const alert of stock) expect(await toldOf(alert)).toEqual(['merchandising']);
    await page.close();
  });

  it('high-cpu: "the incident on the status page has Open the panel in Grafana", the panel the alert links to', async () => {
    const slow = firesIn('high-cpu').filter((a) => a.uid === 'slow-responses');
    expect(slow.length).toBeGreaterThan(0);
    const page = await openStatusPage(browser, stack);
    await postWebhook(stack, notification(slow));
    for (const alert of slow) {
      const link = card(page, alert).getByRole('link', { name: /Open the panel in Grafana/ });
      await link.waitFor({ timeout: 2_000 });
      expect(await link.getAttribute('href')).toBe(panelLinks.get('slow-responses'));
    }
    expect(panelLinks.get('slow-responses')).toMatch(/viewPanel=\d+$/);
    await page.close();
  });

  it('between runs: "its incident on the status page turns green" as each alert resolves', async () => {
    const page = await openStatusPage(browser, stack);
    await postWebhook(stack, notification(everyInstance('firing')));
    const resolved = everyInstance('resolved');
    expect(resolved.length).toBeGreaterThanOrEqual(alertCatalog.length);
    await postWebhook(stack, notification(resolved));
    for (const alert of resolved) {
      await card(page, alert).and(page.locator('[data-status="resolved"]')).waitFor({ timeout: 2_000 });
      expect(await backgroundOf(card(page, alert))).toBe(severityColors.resolved);
    }
    await banner(page).waitFor({ state: 'detached', timeout: 2_000 });
    await page.close();
  });
});
