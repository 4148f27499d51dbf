import { readFileSync } from 'node:fs';

/** Resident set size of a process in MiB, what a container's memory limit is held against. */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024;
}

// Linux reports CPU time in USER_HZ ticks, 100 per second on every architecture Node runs on.
const clockTicksPerSecond = 100;

/**
 * CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat: unlike a
 * throughput, it does not depend on what else the machine runs meanwhile.
 */
export function cpuSeconds(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
}

/** Samples each process's RSS every everyMs; peaks() gives the highest seen so far for each. */
export function rssPeaks<K extends string>(pids: Record<K, number>, everyMs = 250) {
  const names = Object.keys(pids) as K[];
  const peak = Object.fromEntries(names.map((name) => [name, rssMiB(pids[name])])) as Record<K, number>;
  const timer = setInterval(() => {
    for (const name of names) peak[name] = Math.max(peak[name], rssMiB(pids[name]));
  }, everyMs);
  return {
    peaks: (): Record<K, number> => ({ ...peak }),
    stop: () => clearInterval(timer),
  };
}
