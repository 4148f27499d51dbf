import { chromium } from 'playwright-core';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliEnv } from '../harness/cli-env.ts';
import { spawnCli } from '../harness/cli-process.ts';
import { freePorts } from '../scripts/native/ports.ts';
import { stackInfoOf, startNativeStack } from '../scripts/native/stack.ts';
import { pressStageControl } from '../scripts/stage-control.ts';
import { clockTickMs } from '../simulator/stage/page/script.ts';
import type { StageSnapshot } from '../simulator/stage/snapshot.ts';
import type { BenchSection } from './autocannon.ts';
import { verdict } from './results-file.ts';

/** What the page records per pushed change (simulator/stage/page/script.ts). */
interface Timing {
  changedAtMs: number;
  sentAtMs: number;
  paintedAtMs: number;
  stateChange: boolean;
}

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The target of every row: a change is on screen, at p95, before the page's next clock redraw, so
 * the room never sees a clock run on for a state that has already changed.
 */
const targetP95Ms = clockTickMs;

/** A table row: the measure, its median, p95 and max, the target and the verdict (none measured: missed). */
function row(measure: string, values: number[]): string {
  if (values.length === 0) return `| ${measure} | none | p95 ≤ ${targetP95Ms} ms | ${verdict(false)} |`;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const value = `median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${sorted.at(-1)} ms (${sorted.length} changes)`;
  return `| ${measure} | ${value} | p95 ≤ ${targetP95Ms} ms | ${verdict(at(0.95) <= targetP95Ms)} |`;
}

/**
 * How soon the stage console's page shows a change: `shopfast-sim stage` on a native stack (the
 * rule preview's states, Prometheus scraping every 5 s), Debian's Chromium at 1280×720, while
 * failed-logins and high-error-rate are triggered and reset through the page's controls. The
 * server stamps each snapshot with when it saw the change; the page notes when it had painted it.
 */
export async function benchStageLatency(): Promise<BenchSection> {
  const stack = await startNativeStack({ ports: 'random', prometheus: true, output: 'quiet' });
  const [port] = await freePorts(1);
  const url = `http://127.0.0.1:${port}/`;
  const env = cliEnv(stackInfoOf(stack), { ALERTMANAGER_URL: stack.alertmanagerUrl ?? undefined });
  const stage = spawnCli(['stage', '--port', String(port)], env, 900_000);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox'],
  });
  const control = (path: string, body?: object) => pressStageControl(url, stack.adminToken, path, body);
  const idle = async () => {
    for (let waited = 0; waited < 300; waited += 1) {
      const state = (await (await fetch(`${url}api/state`)).json()) as StageSnapshot;
      if (state.activity === null) return;
      await sleep(1_000);
    }
    throw new Error('the stage was still busy after 300 s');
  };
  let timings: Timing[] = [];
  try {
    for (
      let tries = 0;
      !(await fetch(`${url}api/state`).then(
        (r) => r.ok,
        () => false,
      ));
      tries += 1
    ) {
      if (tries > 60) throw new Error('the stage server did not start');
      await sleep(500);
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(url);
    for (const step of [
      ['reset'],
      ['trigger', { alert: 'failed-logins' }],
      ['reset'],
      ['trigger', { alert: 'high-error-rate' }],
      ['reset'],
    ] as const) {
      console.log(`  ${step[0]} ${step[1] ? JSON.stringify(step[1]) : ''}`);
      await control(step[0], step[1]);
      await idle();
    }
    timings = await page.evaluate(() => (globalThis as unknown as { stageTimings: Timing[] }).stageTimings);
  } finally {
    await browser.close();
    stage.child.kill('SIGINT');
    await stage.exited;
    await stack.stop();
  }
  const latency = (t: Timing) => t.paintedAtMs - t.changedAtMs;
  const markdown = [
    'Native stack (rule preview states, Prometheus scraping every 5 s), `shopfast-sim stage` as a process,',
    "Debian's Chromium headless at 1280×720 on the same machine; failed-logins and high-error-rate triggered",
    'and reset through the controls. From the moment the server saw a change (a rule evaluation done, a',
    'traffic tick, a poll answered) to the page having painted it (the frame after it was drawn).',
    'With Grafana as the source its rules API is polled every second, which adds up to 1 s.',
    `Target per row: p95 within one redraw of the page's clocks (every ${clockTickMs} ms).`,
    '',
    '| measure | value | target | |',
    '|---|---|---|---|',
    row('every change pushed', timings.map(latency)),
    row("changes that moved an alert's state", timings.filter((t) => t.stateChange).map(latency)),
    row(
      'of which in the server (change seen → snapshot sent)',
      timings.map((t) => t.sentAtMs - t.changedAtMs),
    ),
  ].join('\n');
  return { title: 'Stage console: change to screen', markdown };
}
