// `npm run stage:screenshot`: docs/stage.png, the stage console as a room sees it, made from a real
// run rather than drawn: a native stack (with its Alertmanager telling the status page, when
// installed), `shopfast-sim stage` in this process, flash-sale triggered until its stock alerts
// fire, then payment-failures started and the page shot (1280×720) while its error-rate alert is
// Pending. Everything is reset and stopped afterwards.
import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { commandContext, startStage } from '../simulator/index.ts';
import { repoRoot } from './native/paths.ts';
import { nativeStackTargets } from './native/simulator-targets.ts';
import { startNativeStack } from './native/stack.ts';
import { pressStageControl } from './stage-control.ts';
import { acceptNoArguments } from './script-args.ts';

acceptNoArguments(
  'Usage: npm run stage:screenshot\n\nRewrites docs/stage.png from a real run: a native stack, `shopfast-sim stage`, flash-sale\ntriggered, then payment-failures shot while its error-rate alert is Pending.\nTakes no arguments; CHROMIUM_PATH names the browser (default /usr/bin/chromium).',
);

const output = join(repoRoot, 'docs', 'stage.png');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const stack = await startNativeStack({ ports: 'random', prometheus: true, output: 'quiet' });
const stage = await startStage(
  // No Grafana: the stage shows the rule preview's states, labelled so.
  commandContext({
    ...nativeStackTargets(stack),
    ...(stack.alertmanagerUrl ? { alertmanagerUrl: stack.alertmanagerUrl } : {}),
  }),
  { host: '127.0.0.1', port: 0 },
);
const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--no-sandbox'],
});

/** A control, as the page sends it. */
const control = (path: string, body?: object) => pressStageControl(stage.url, stack.adminToken, path, body);

async function idle(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (stage.state.activity !== null) {
    if (Date.now() > deadline)
      throw new Error(`still running after ${timeoutMs} ms: ${stage.state.activity.title}`);
    await sleep(500);
  }
}

try {
  await control('reset');
  await idle(120_000);
  await control('trigger', { alert: 'critical-inventory' });
  await idle(180_000);
  await control('run', { scenario: 'payment-failures' });
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(stage.url);
  await page
    .locator('article[data-card="high-error-rate service=payment"][data-state="Pending"]')
    .waitFor({ timeout: 120_000 });
  await sleep(1_500); // a few clock ticks: "fires in ~N s"
  mkdirSync(join(repoRoot, 'docs'), { recursive: true });
  await page.screenshot({ path: output });
  console.log(`wrote ${output}`);
  await control('stop');
  await control('reset');
  await idle(120_000);
} finally {
  await browser.close();
  await stage.close();
  await stack.stop();
}
