// npm run workshop:measure — CPU and memory of one stack while it plays a scenario, for WORKSHOP.md's
// capacity plan. Runs the native stack from dist/ (what the image runs: npm run build first) with
// Prometheus scraping every 5 s, plays the scenario with the simulator, and samples every process
// from /proc once a second (Linux only). Grafana and Loki do not run here, so they are not measured.
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command, InvalidArgumentError } from 'commander';
import { repoRoot } from '../native/paths.ts';
import { startNativeStack, type NativeStack } from '../native/stack.ts';

const run = promisify(execFile);
/** USER_HZ: the unit of utime and stime in /proc/<pid>/stat on Linux. */
const clockTicksPerSecond = 100;

interface ProcessSample {
  cpuSeconds: number;
  memoryBytes: number;
}

/** utime + stime and proportional set size of one process, or undefined when it is gone. */
async function sampleProcess(pid: number): Promise<ProcessSample | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    // PSS, not RSS: PostgreSQL's backends share its buffers, which RSS would count once per process.
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
    const pssKiB = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
    return { cpuSeconds: cpuTicks / clockTicksPerSecond, memoryBytes: pssKiB * 1024 };
  } catch {
    return undefined;
  }
}

/** The process and its children (PostgreSQL forks a backend per connection). */
async function processTree(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  return [root, ...[...parents].filter(([, ppid]) => ppid === root).map(([pid]) => pid)];
}

/** CPU seconds and PSS of a group of processes, summed. */
async function sampleGroup(pids: number[]): Promise<ProcessSample> {
  const samples = await Promise.all(pids.map(sampleProcess));
  return samples.reduce<ProcessSample>(
    (sum, sample) => ({
      cpuSeconds: sum.cpuSeconds + (sample?.cpuSeconds ?? 0),
      memoryBytes: sum.memoryBytes + (sample?.memoryBytes ?? 0),
    }),
    { cpuSeconds: 0, memoryBytes: 0 },
  );
}

async function pidOfPort(port: number): Promise<number> {
  const { stdout } = await run('ss', ['-Htlnp', `sport = :${port}`]);
  const pid = /pid=(\d+)/.exec(stdout)?.[1];
  if (!pid) throw new Error(`no process listens on port ${port}`);
  return Number(pid);
}

/** What each measured part is made of: a list of pids, looked up again at every sample. */
async function partsOf(stack: NativeStack): Promise<Record<string, () => Promise<number[]>>> {
  const parts: Record<string, () => Promise<number[]>> = {};
  for (const [name, pid] of Object.entries(stack.servicePids)) parts[name] = () => Promise.resolve([pid]);
  if (stack.postgres) {
    const postmaster = Number(
      (await readFile(join(stack.postgres.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0],
    );
    parts.postgres = () => processTree(postmaster);
  }
  if (stack.prometheusUrl) {
    const prometheusPid = await pidOfPort(Number(new URL(stack.prometheusUrl).port));
    parts.prometheus = () => Promise.resolve([prometheusPid]);
  }
  return parts;
}

interface Footprint {
  part: string;
  meanCores: number;
  peakPssMiB: number;
}

async function measure(scenario: string, rate: number): Promise<Footprint[]> {
  const stack = await startNativeStack({
    ports: 'random',
    scrapeIntervalSeconds: 5,
    fromDist: true,
    output: 'quiet',
  });
  try {
    const parts = await partsOf(stack);
    const first: Record<string, ProcessSample> = {};
    const peakMemory: Record<string, number> = {};
    for (const [part, pids] of Object.entries(parts)) first[part] = await sampleGroup(await pids());
    const started = Date.now();
    const simulation = run(
      process.execPath,
      ['simulator/bin.js', 'run', scenario, '--rate', String(rate), '--json'],
      {
        cwd: repoRoot,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          ...process.env,
          SHOPFAST_API_URL: stack.urls.api,
          SHOPFAST_FRONTEND_URL: stack.urls.frontend,
          SHOPFAST_PAYMENT_URL: stack.urls.payment,
          SHOPFAST_INVENTORY_URL: stack.urls.inventory,
          PROMETHEUS_URL: stack.prometheusUrl ?? '',
          ADMIN_TOKEN: stack.adminToken,
        },
      },
    );
    // The simulator itself (under tsx here; the Job runs the compiled CLI), from its first second.
    const simulatorPid = simulation.child.pid;
    if (simulatorPid) {
      parts.simulator = () => Promise.resolve([simulatorPid]);
      first.simulator = { cpuSeconds: 0, memoryBytes: 0 };
    }
    let done = false;
    const finished = simulation.finally(() => (done = true));
    // CPU seconds only grow; the highest seen survives a process that exits before the last sample.
    const cpuSeen: Record<string, number> = {};
    // Bounded by the scenario: the simulator exits when it has played it.
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      for (const [part, pids] of Object.entries(parts)) {
        const now = await sampleGroup(await pids());
        peakMemory[part] = Math.max(peakMemory[part] ?? 0, now.memoryBytes);
        cpuSeen[part] = Math.max(cpuSeen[part] ?? 0, now.cpuSeconds);
      }
    }
    await finished;
    const seconds = (Date.now() - started) / 1000;
    return Object.keys(parts).map((part) => ({
      part,
      meanCores: ((cpuSeen[part] ?? 0) - first[part]!.cpuSeconds) / seconds,
      peakPssMiB: (peakMemory[part] ?? 0) / 2 ** 20,
    }));
  } finally {
    await stack.stop();
  }
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 20) throw new InvalidArgumentError('a number above 0, at most 20');
  return n;
}

const program = new Command('workshop-measure')
  .description('CPU and memory of one native stack (from dist/) while the simulator plays a scenario')
  .option('--scenario <name>', 'the scenario to play', 'normal')
  .option('--rate <multiplier>', "multiplies the scenario's rates", positive, 1)
  .parse();
const options = program.opts<{ scenario: string; rate: number }>();
const footprints = await measure(options.scenario, options.rate);
// CPU is shared: a busy machine starves time-based work (the high-cpu burn), not request handling.
console.log(`Load average at the end: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores.\n`);
console.log(`| part | mean CPU (cores) over \`${options.scenario}\` ×${options.rate} | peak PSS (MiB) |`);
console.log('|---|---|---|');
for (const { part, meanCores, peakPssMiB } of footprints) {
  console.log(`| ${part} | ${meanCores.toFixed(3)} | ${peakPssMiB.toFixed(1)} |`);
}
