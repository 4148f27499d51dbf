import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, type TestContext } from 'vitest';
import { serviceNames } from '../domain/services.ts';
import { cliEnv } from '../harness/cli-env.ts';
import { runCli, spawnCli, type CliProcess } from '../harness/cli-process.ts';
import { repoRoot } from '../scripts/native/paths.ts';
import { freePorts } from '../scripts/native/ports.ts';
import type { StageSnapshot } from '../simulator/stage/snapshot.ts';
import { startGrafanaStandIn } from './support/grafana-stand-in.ts';
import { adminHeaders } from './support/stack.ts';
import { waitFor } from './support/wait-for.ts';

// The stage console in Debian's Chromium against the native stack (alert states from the rule
// preview): the page drives `shopfast-sim stage` as a presenter would, token dialog included.

const stack = inject('stack');
// The native runner's Alertmanager (when installed) decides who is told, as Grafana's would.
const env = cliEnv(stack, { ALERTMANAGER_URL: stack.alertmanagerUrl ?? undefined });
const receiverShown = stack.alertmanagerUrl !== null;

// What the page's window holds, for page.evaluate (the project compiles without the DOM library;
// the functions run in the page, so they name globalThis themselves).
interface PageElement {
  scrollHeight: number;
  clientHeight: number;
  getBoundingClientRect(): { bottom: number };
}
interface PageGlobals {
  sessionStorage: { length: number; setItem(key: string, value: string): void };
  document: { documentElement: PageElement; querySelectorAll(selector: string): ArrayLike<PageElement> };
  getComputedStyle(element: PageElement): { fontSize: string };
  stageTimings: { changedAtMs: number; paintedAtMs: number }[];
}

let browser: Browser;
let stage: CliProcess;
let stageUrl: string;

type Shot = (page: Page, name: string) => Promise<void>;

/**
 * Runs a test body that takes screenshots of the page in each state; when it fails, they and one
 * of the page as it was at the failure go to test-results/stage/ and are attached to the test.
 */
async function withScreenshots(context: TestContext, body: (shot: Shot) => Promise<void>): Promise<void> {
  const shots: { name: string; png: Buffer }[] = [];
  let lastPage: Page | undefined;
  const shot: Shot = async (page, name) => {
    lastPage = page;
    shots.push({ name, png: await page.screenshot() });
  };
  try {
    await body(shot);
  } catch (error) {
    if (lastPage && !lastPage.isClosed()) await shot(lastPage, 'at-failure').catch(() => {});
    const dir = join(repoRoot, 'test-results', 'stage');
    mkdirSync(dir, { recursive: true });
    for (const [index, { name, png }] of shots.entries()) {
      const path = join(dir, `${context.task.name.replace(/\W+/g, '-')}-${index}-${name}.png`);
      writeFileSync(path, png);
      await context.annotate(`screenshot: ${name}`, { path, contentType: 'image/png' });
    }
    throw error;
  }
}

async function state(): Promise<StageSnapshot> {
  return (await (await fetch(`${stageUrl}api/state`)).json()) as StageSnapshot;
}

async function faultsInForce(): Promise<string[]> {
  const reports = await Promise.all(
    serviceNames.map(async (service) => {
      const response = await fetch(`${stack.urls[service]}/admin/faults`, { headers: adminHeaders(stack) });
      return (await response.json()) as { service: string; faults: Record<string, number> };
    }),
  );
  return reports.flatMap((report) =>
    Object.entries(report.faults)
      .filter(([, value]) => value > 0)
      .map(([kind]) => `${report.service} ${kind}`),
  );
}

/** The Alertmanager's active silences (none where the stack runs no Alertmanager). */
async function activeSilences(): Promise<{ id: string; createdBy: string }[]> {
  if (!stack.alertmanagerUrl) return [];
  const silences = (await (await fetch(`${stack.alertmanagerUrl}/api/v2/silences`)).json()) as {
    id: string;
    createdBy: string;
    status: { state: string };
  }[];
  return silences.filter((silence) => silence.status.state === 'active');
}

/**
 * How long the page may take to show what the server already knows. Its latency is measured in
 * bench/ (tens of ms); here Chromium shares 2 cores with the rest of the suite, and a busy moment
 * must not fail the test.
 */
const onScreenMs = 30_000;

async function openStage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(stageUrl);
  await page.locator('#link', { hasText: 'live' }).waitFor({ timeout: onScreenMs });
  await page.locator('article[data-card="failed-logins"]').waitFor({ timeout: onScreenMs });
  return page;
}

/** Clicks a control; the first one asks for the token, which the dialog checks before keeping it. */
async function click(page: Page, control: string, token?: string): Promise<void> {
  await page.locator(`#${control}`).click();
  if (token === undefined) return;
  await page.locator('#token-dialog[open]').waitFor({ timeout: 5_000 });
  await page.locator('#token-input').fill(token);
  await page.locator('#token-ok').click();
}

/** A page with the token already given (this tab's session storage) that starts the booth on these scenarios. */
async function startBooth(scenarios: string[]): Promise<Page> {
  const page = await openStage();
  await page.evaluate(
    (token) => (globalThis as unknown as PageGlobals).sessionStorage.setItem('shopfast-stage-token', token),
    stack.adminToken,
  );
  await page.locator('#booth-setup summary').click();
  for (const box of await page.locator('#booth-scenarios input').all()) {
    if (scenarios.includes((await box.getAttribute('value')) ?? '')) await box.check();
    else await box.uncheck();
  }
  await click(page, 'booth-start');
  return page;
}

const card = (page: Page, id: string) => page.locator(`article[data-card="${id}"]`);

beforeAll(async () => {
  const reset = await runCli(['reset', '--wait', '--timeout', '60'], env, 90_000);
  expect(reset.code, reset.stderr).toBe(0);
  const [port] = await freePorts(1);
  stageUrl = `http://127.0.0.1:${port}/`;
  stage = spawnCli(['stage', '--port', String(port)], env, 900_000);
  await waitFor('the stage server', () => fetch(`${stageUrl}api/state`).then((r) => r.ok), {
    timeoutMs: 30_000,
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  stage?.child.kill('SIGINT');
  const exited = await stage?.exited;
  expect(exited?.code, exited?.stderr).toBe(0);
  await runCli(['reset'], env);
});

describe('the stage console in Chromium', { timeout: 300_000 }, () => {
  afterEach(async () => {
    // A failed test must not leave its scenario running into the next one.
    await fetch(`${stageUrl}api/stop`, { method: 'POST', headers: adminHeaders(stack) });
    await waitFor('the stage idle', async () => (await state()).activity === null, { timeoutMs: 60_000 });
  });

  it('refuses a wrong token in the dialog and starts nothing', async (context) => {
    await withScreenshots(context, async (shot) => {
      const page = await openStage();
      await shot(page, 'opened');
      await page.locator('#scenario').selectOption('security-breach');
      await click(page, 'start', 'not-the-token');
      await page.locator('#token-problem', { hasText: 'wrong admin token' }).waitFor({ timeout: 5_000 });
      await shot(page, 'wrong-token');
      await page.locator('#token-cancel').click();
      expect((await state()).activity).toBeNull();
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.length)).toBe(0);
      await page.close();
    });
  });

  it('fits every card on a 1280×720 screen and on a 4K projector, in type that grows with it', async () => {
    for (const [width, height, smallestFontPx] of [
      [1280, 720, 14],
      [3840, 2160, 40],
    ] as const) {
      const page = await browser.newPage({ viewport: { width, height } });
      await page.goto(stageUrl);
      await page.locator('article[data-card="failed-logins"]').waitFor({ timeout: onScreenMs });
      const layout = await page.evaluate(() => {
        const doc = (globalThis as unknown as PageGlobals).document;
        const cards = Array.from(doc.querySelectorAll('article.card'));
        return {
          rootFontPx: Number.parseFloat(
            (globalThis as unknown as PageGlobals).getComputedStyle(doc.documentElement).fontSize,
          ),
          cards: cards.length,
          outside: cards.filter((c) => c.getBoundingClientRect().bottom > doc.documentElement.clientHeight)
            .length,
          clipped: cards.filter((c) => c.scrollHeight > c.clientHeight + 1).length,
        };
      });
      expect(layout, `${width}×${height}`).toMatchObject({ cards: 11, outside: 0, clipped: 0 });
      expect(layout.rootFontPx, `${width}×${height}`).toBeGreaterThanOrEqual(smallestFontPx);
      await page.close();
    }
  });

  it('starts security-breach: failed-logins goes Firing with its clock, and Normal after stop and reset', async (context) => {
    await withScreenshots(context, async (shot) => {
      const page = await openStage();
      await shot(page, 'opened');
      expect(await page.locator('#source').textContent()).toMatch(
        /preview computed from the rule file, not Grafana's state/,
      );
      await page.locator('#scenario').selectOption('security-breach');
      expect(await page.locator('#plan').textContent()).toMatch(
        /security-breach runs 0:45, fires Failed logins at ~0:\d\d/,
      );
      await click(page, 'start', stack.adminToken);
      await page.locator('#activity', { hasText: 'security-breach' }).waitFor({ timeout: onScreenMs });
      const logins = card(page, 'failed-logins');
      // Marked as what the running scenario should fire, with when.
      await page
        .locator('article[data-card="failed-logins"][data-expected="true"]')
        .waitFor({ timeout: onScreenMs });

      // No pending period: Normal → Firing at the first evaluation with five failures.
      await logins
        .and(page.locator('[data-state="Pending"], [data-state="Firing"]'))
        .waitFor({ timeout: 60_000 });
      await shot(page, 'firing');
      await page
        .locator('article[data-card="failed-logins"][data-state="Firing"]')
        .waitFor({ timeout: 30_000 });
      expect(await logins.locator('.word').textContent()).toBe('FIRING');
      expect(await logins.locator('.origin').isVisible()).toBe(true);
      await expect
        .poll(() => logins.locator('.clock').textContent(), { timeout: 5_000 })
        .toMatch(/^for 0:0[1-9]|^for 0:[1-5]\d/);
      expect(await logins.locator('.value').textContent()).toMatch(/^value \d+ · fires above 4$/);
      if (receiverShown) {
        await logins.locator('.notify', { hasText: /^told / }).waitFor({ timeout: 30_000 });
        await shot(page, 'told');
      }
      expect(await page.locator('#rate').textContent()).toMatch(/^\d+\.\d of 5\.0$/);

      await click(page, 'stop');
      await page.locator('#activity', { hasText: 'Idle' }).waitFor({ timeout: 20_000 });
      // Resetting while it ran would have been refused; now it clears the streak and waits for Normal.
      await click(page, 'reset');
      await page.locator('#activity', { hasText: 'reset' }).waitFor({ timeout: onScreenMs });
      await shot(page, 'reset');
      await page
        .locator('article[data-card="failed-logins"][data-state="Normal"]')
        .waitFor({ timeout: 60_000 });
      await page.locator('#activity', { hasText: 'Idle' }).waitFor({ timeout: 30_000 });
      await shot(page, 'normal');
      expect(await faultsInForce()).toEqual([]);

      const timings = await page.evaluate(() => (globalThis as unknown as PageGlobals).stageTimings);
      const latencies = timings.map((t) => t.paintedAtMs - t.changedAtMs).sort((a, b) => a - b);
      expect(latencies.length).toBeGreaterThan(10);
      console.log(
        `[stage] change → painted over ${latencies.length} snapshots: median ${latencies[Math.floor(latencies.length / 2)]} ms, max ${latencies.at(-1)} ms`,
      );
      await page.close();
    });
  });

  it('booth mode plays two cycles, counts them, and stops leaving no fault and no silence', async (context) => {
    expect(await activeSilences()).toEqual([]);
    await withScreenshots(context, async (shot) => {
      const page = await startBooth(['normal', 'security-breach']);
      await page.locator('#booth', { hasText: 'BOOTH running' }).waitFor({ timeout: onScreenMs });
      await shot(page, 'started');
      if (stack.alertmanagerUrl) {
        // A silence set while the booth runs is the booth's: stopping lifts it.
        await page.locator('#alert').selectOption('payment-failures');
        await click(page, 'silence');
        await page
          .locator('#message', { hasText: 'payment-failures silenced for 30 min' })
          .waitFor({ timeout: onScreenMs });
        expect(await activeSilences()).toHaveLength(1);
      }
      await page.locator('#booth', { hasText: /cycles 2 / }).waitFor({ timeout: 200_000 });
      await shot(page, 'two-cycles');
      expect(await page.locator('#booth').textContent()).toMatch(/cycles 2 · rounds 1 · misses 0/);

      // The next pass starts with normal; stop it while it runs.
      await click(page, 'stop');
      await page.locator('#booth', { hasText: 'BOOTH stopped' }).waitFor({ timeout: 30_000 });
      await page.locator('#activity', { hasText: 'Idle' }).waitFor({ timeout: 30_000 });
      await shot(page, 'stopped');
      expect(await faultsInForce()).toEqual([]);
      const stopped = await state();
      expect(stopped.booth).toMatchObject({ running: false, cycles: 2, missed: 0 });
      expect(await activeSilences()).toEqual([]);
      const lifted = stack.alertmanagerUrl ? 1 : 0;
      expect(stopped.log.map((entry) => entry.text)).toContain(
        `booth stopped: faults cleared on api, frontend, payment, inventory, ${lifted} silences lifted`,
      );
      await page.close();
    });
  });

  it('a booth stopped while a scenario holds faults undoes them', async (context) => {
    await withScreenshots(context, async (shot) => {
      const page = await startBooth(['high-cpu']);
      await shot(page, 'started');
      await waitFor('the api burning CPU', async () => (await faultsInForce()).includes('api cpuBurn'), {
        timeoutMs: 90_000,
        intervalMs: 500,
      });
      await page.locator('#faults', { hasText: 'api cpuBurn=1' }).waitFor({ timeout: onScreenMs });
      await shot(page, 'faults');
      await click(page, 'stop');
      await page.locator('#activity', { hasText: 'Idle' }).waitFor({ timeout: 30_000 });
      expect(await faultsInForce()).toEqual([]);
      await page.locator('#faults', { hasText: 'No faults in force' }).waitFor({ timeout: onScreenMs });
      await page.close();
    });
  });

  it("shows Grafana's own states, not labelled preview, where Grafana answers", async (context) => {
    const grafana = await startGrafanaStandIn((uid) => (uid === 'failed-logins' ? 'firing' : 'inactive'));
    const [port] = await freePorts(1);
    const url = `http://127.0.0.1:${port}/`;
    const withGrafana = spawnCli(
      ['stage', '--port', String(port)],
      { ...env, GRAFANA_URL: grafana.url },
      120_000,
    );
    try {
      await withScreenshots(context, async (shot) => {
        await waitFor('the second stage server', () => fetch(`${url}api/state`).then((r) => r.ok), {
          timeoutMs: 30_000,
        });
        const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
        await page.goto(url);
        await page
          .locator('article[data-card="failed-logins"][data-state="Firing"]')
          .waitFor({ timeout: onScreenMs });
        await shot(page, 'grafana');
        expect(await page.locator('#source').textContent()).toBe(`States: Grafana at ${grafana.url}`);
        expect(await page.locator('#source').getAttribute('data-kind')).toBe('grafana');
        expect(await page.locator('article[data-card="failed-logins"] .origin').isVisible()).toBe(false);
        // Polled: each second's answer from Grafana redraws the cards.
        await expect.poll(() => page.locator('article[data-state="Firing"]').count()).toBe(1);
        await page.close();
      });
    } finally {
      withGrafana.child.kill('SIGINT');
      await withGrafana.exited;
      await grafana.close();
    }
  });
});
