import { afterAll, describe, expect, inject, it } from 'vitest';
import { cliEnv } from '../harness/cli-env.ts';
import { runCliInProcess } from '../harness/cli-in-process.ts';
import { spawnCli } from '../harness/cli-process.ts';
import { adminHeaders } from './support/stack.ts';

// `run normal --until-stopped` as a presenter leaves it running: background traffic until Ctrl-C,
// which ends it as planned (exit 0), leaves a fault someone else set alone, and leaves the stock
// where it was (its shoppers' purchases are put back). A process: Ctrl-C is a real SIGINT.

const stack = inject('stack');
const env = cliEnv(stack);

async function totalStock(): Promise<number> {
  const response = await fetch(`${stack.urls.inventory}/inventory`);
  const { items } = (await response.json()) as { items: { stock: number }[] };
  return items.reduce((sum, item) => sum + item.stock, 0);
}

afterAll(async () => {
  await runCliInProcess(['reset'], env);
});

describe('run normal --until-stopped', { timeout: 60_000 }, () => {
  it('runs until Ctrl-C, exits 0, undoes nothing it did not set and puts back what it bought', async () => {
    expect((await runCliInProcess(['reset'], env)).code).toBe(0);
    const stockBefore = await totalStock();
    const setFault = await fetch(`${stack.urls.inventory}/admin/faults`, {
      method: 'PUT',
      headers: { ...adminHeaders(stack), 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 1, ttlSeconds: 120 }),
    });
    expect(setFault.status).toBe(200);

    const background = spawnCli(['run', 'normal', '--until-stopped', '--rate', '2', '--json'], env, 50_000);
    // Long enough for a few dozen orders; the run has no end of its own.
    await background.waitForEvent(
      (event) => event.type === 'progress' && (event.elapsedSeconds as number) >= 12,
      40_000,
    );
    background.child.kill('SIGINT');
    const outcome = await background.exited;
    expect(outcome.code, outcome.stderr).toBe(0);
    const notes = outcome.events.filter((event) => event.type === 'note').map((event) => event.message);
    expect(notes[0]).toMatch(/^SIGINT: stopping the background traffic \(it set no faults\)/);
    const putBack = Number(/^put back the (\d+) items its shoppers bought$/.exec(String(notes.at(-1)))?.[1]);
    expect(putBack).toBeGreaterThan(0);
    expect(outcome.events.find((event) => event.type === 'part-summary')).toMatchObject({
      stopReason: 'stopped',
      faultsUndone: [],
    });

    const faults = await fetch(`${stack.urls.inventory}/admin/faults`, { headers: adminHeaders(stack) });
    expect(((await faults.json()) as { faults: { latencyMs: number } }).faults.latencyMs).toBe(1);
    // Journeys under way at Ctrl-C finish, so their purchases are put back too: the stock is where
    // it was, though the run bought `putBack` items (within one order that outlived its client's
    // 15 s timeout, should the machine crawl).
    expect(Math.abs((await totalStock()) - stockBefore)).toBeLessThanOrEqual(2);
  });
});
