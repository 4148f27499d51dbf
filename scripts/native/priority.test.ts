import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from './run-command.ts';
import { lowerPriority } from './priority.ts';

const children: number[] = [];
afterEach(() => {
  for (const pid of children.splice(0)) process.kill(-pid, 'SIGKILL');
});

/** A process in a session of its own, as the native stack spawns its parts. */
function detachedSleeper(): number {
  const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  children.push(child.pid!);
  return child.pid!;
}

// 15: the unit files' workers run at 10 themselves, and their children inherit it.
describe('lowerPriority', () => {
  it("lowers a detached process's nice value", async () => {
    const pid = detachedSleeper();
    await lowerPriority([pid], 15);
    expect((await runCommand('ps', ['-o', 'ni=', '-p', String(pid)])).stdout.trim()).toBe('15');
  });

  it.runIf(existsSync('/proc/self/autogroup'))(
    "and its session's autogroup, which is what Linux weighs between sessions",
    async () => {
      const pid = detachedSleeper();
      await lowerPriority([pid], 15);
      expect(readFileSync(`/proc/${pid}/autogroup`, 'utf8')).toMatch(/ nice 15$/m);
    },
  );
});
