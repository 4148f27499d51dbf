import { describe, expect, it } from 'vitest';
import { GateFullError, WorkGate } from './work-gate.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('WorkGate', () => {
  it('runs at most `concurrency` tasks, queues `maxQueued` in order and refuses the rest at once', async () => {
    const gate = new WorkGate({ concurrency: 2, maxQueued: 2 });
    const blockers = Array.from({ length: 4 }, deferred);
    const started: number[] = [];
    const runs = blockers.map((b, i) =>
      gate.run(async () => {
        started.push(i);
        await b.promise;
        return i;
      }),
    );
    expect(gate.full).toBe(true);
    await expect(gate.run(async () => 'late')).rejects.toBeInstanceOf(GateFullError);
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect([gate.active, gate.queued]).toEqual([2, 2]);

    blockers[1]!.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    expect([gate.active, gate.queued]).toEqual([2, 1]);
    expect(gate.full).toBe(false);

    blockers.forEach((b) => b.resolve());
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect([gate.active, gate.queued]).toEqual([0, 0]);
  });

  it('frees the slot of a task that fails', async () => {
    const gate = new WorkGate({ concurrency: 1, maxQueued: 0 });
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'next')).toBe('next');
    expect(gate.active).toBe(0);
  });
});
