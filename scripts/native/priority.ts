import { writeFile } from 'node:fs/promises';
import { runCommand } from './run-command.ts';

/**
 * Lowers the priority of whole processes, for the test suite's stacks that should yield the CPU to
 * the rehearsal's burn. Two knobs, because Linux decides in two steps: between sessions first, each
 * session an "autogroup" with a nice value of its own (/proc/<pid>/autogroup, where autogrouping is
 * on, as on most desktops and this CI machine), then between the threads of one session by their own
 * nice values. Every part of a native stack runs in a session of its own (spawned detached), so a
 * thread's nice alone changes nothing against another part.
 */
export async function lowerPriority(pids: number[], niceness: number): Promise<void> {
  if (pids.length === 0) return;
  // `renice -g`: every thread of every process in each pid's process group (each leads its own).
  await runCommand('renice', ['-n', String(niceness), '-g', ...pids.map(String)]);
  await Promise.all(
    // Absent where autogrouping is off or on other systems: the threads' nice value is then what counts.
    pids.map((pid) => writeFile(`/proc/${pid}/autogroup`, String(niceness)).catch(() => undefined)),
  );
}

/** The same for the session this process runs in (and every process in it): vitest's, for one. */
export async function lowerOwnPriority(niceness: number): Promise<void> {
  await writeFile('/proc/self/autogroup', String(niceness)).catch(() => undefined);
}
