import { readdirSync, readFileSync } from 'node:fs';

/** Linux only: reads /proc. Field 4 of /proc/<pid>/stat is the parent pid, field 3 the state. */
function readStat(pid: number): { ppid: number; state: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: parse after its last ')'.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state ?? '?', ppid: Number(ppid) };
  } catch {
    return null;
  }
}

/** Every process below rootPid (children, grandchildren, ...), whatever process group they are in. */
export function descendantPids(rootPid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    const stat = Number.isInteger(pid) ? readStat(pid) : null;
    if (stat) parentOf.set(pid, stat.ppid);
  }
  const found: number[] = [];
  let frontier = [rootPid];
  while (frontier.length > 0) {
    frontier = [...parentOf].filter(([, ppid]) => frontier.includes(ppid)).map(([pid]) => pid);
    found.push(...frontier);
  }
  return found;
}

/** Every live process whose command line contains text (for example a port number). */
export function pidsWithCommandLine(text: string): number[] {
  return readdirSync('/proc')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && isAlive(pid) && commandLine(pid).includes(text));
}

/** The parent pid, or null when the process is gone. */
export function parentPid(pid: number): number | null {
  return readStat(pid)?.ppid ?? null;
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== null && stat.state !== 'Z';
}

/** The command line of a process ('' when it is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}
