import { readFileSync } from 'node:fs';

/** Resident set size of a process in MiB, what a container's memory limit is held against. */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024;
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
