import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../scripts/native/paths.ts';
import { startNativeStack, type NativeStack } from '../scripts/native/stack.ts';
import { serviceNames, type ServiceName } from '../domain/services.ts';
import { phasedScenario } from '../simulator/scenarios/registry.ts';
import { scenarioNames } from '../domain/scenarios.ts';
import type { PartSummary } from '../simulator/run/events.ts';
import type { PhasedScenario } from '../simulator/scenarios/scenario.ts';
import { cliEnv } from '../harness/cli-env.ts';
import { ensureFreshBuild } from '../harness/fresh-build.ts';
import { runCli } from '../harness/cli-process.ts';
import { startOtlpReceiver } from '../harness/otlp-receiver.ts';
import type { BenchSection } from './autocannon.ts';
import { verdict } from './results-file.ts';
import { heapPeaks, type HeapMiB } from './heap-stats.ts';
import { imageEnv } from './image-env.ts';
import { rssPeaks } from './proc-stats.ts';

/** Headroom each compose limit keeps above the peak at the presenter's "turned up" rate. */
const headroom = 0.3;
const idleSettleMs = 10_000;
const turnedUpRate = 5;

/** The scenario with the most journeys per second at its peak (ties: the most journeys in all). */
function heaviestScenario(): PhasedScenario {
  const peakRate = (s: PhasedScenario) =>
    Math.max(
      ...s.phases.map((p) => (typeof p.rate === 'number' ? p.rate : Math.max(p.rate.from, p.rate.to))),
    );
  const journeys = (s: PhasedScenario) =>
    s.phases.reduce((sum, p) => {
      const mean = typeof p.rate === 'number' ? p.rate : (p.rate.from + p.rate.to) / 2;
      return sum + mean * p.durationSeconds;
    }, 0);
  const phased = scenarioNames.filter((name) => name !== 'all').map((name) => phasedScenario(name));
  return phased.sort((a, b) => peakRate(b) - peakRate(a) || journeys(b) - journeys(a))[0]!;
}

/**
 * The mem_limit of every part docker-compose.yml starts, in MiB: not the profiles' one-shot sim, nor
 * a setup step that exits before the others start (its x-mem-limit-reason says so).
 */
function composeLimitsMiB(): Record<string, number> {
  const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { mem_limit?: string; profiles?: string[]; 'x-mem-limit-reason'?: string }>;
  };
  const mebibytes = (name: string, limit: string | undefined) => {
    const match = /^(\d+)([mg])$/.exec(limit ?? '');
    if (!match) throw new Error(`docker-compose.yml: ${name}'s mem_limit "${limit}" is not <n>m or <n>g`);
    return Number(match[1]) * (match[2] === 'g' ? 1024 : 1);
  };
  return Object.fromEntries(
    Object.entries(compose.services)
      .filter(([, service]) => !service.profiles && !service['x-mem-limit-reason'])
      .map(([name, service]) => [name, mebibytes(name, service.mem_limit)]),
  );
}

/** The target for the whole stack's limits, Tempo included: 1.5 GiB. */
const stackLimitTargetMiB = 1536;

interface Peaks {
  rss: Record<ServiceName, number>;
  heap: Record<ServiceName, HeapMiB>;
}

async function peakDuring<T>(stack: NativeStack, work: () => Promise<T>): Promise<Peaks & { outcome: T }> {
  const rss = rssPeaks(stack.servicePids);
  const heap = heapPeaks(stack.urls);
  try {
    const outcome = await work();
    return { rss: rss.peaks(), heap: await heap.stop(), outcome };
  } finally {
    rss.stop();
    // After a failed run: no sampling timer outlives it (the run's own error is the one to report).
    await heap.stop().catch(() => {});
  }
}

/** Runs the scenario whole through the simulator's CLI, then resets the shop for the next run. */
async function runScenario(stack: NativeStack, scenario: string, rate: number): Promise<PartSummary> {
  const env = cliEnv(stack);
  const outcome = await runCli(['run', scenario, '--rate', String(rate), '--json'], env, 600_000);
  const summary = outcome.events.find((event) => event.type === 'part-summary') as PartSummary | undefined;
  if (outcome.code !== 0 || !summary) {
    throw new Error(`${scenario} --rate ${rate} exited ${outcome.code}: ${outcome.stderr}`);
  }
  const reset = await runCli(['reset'], env);
  if (reset.code !== 0) throw new Error(`reset exited ${reset.code}: ${reset.stderr}`);
  return summary;
}

function loadLine(rate: number, run: PartSummary): string {
  return `| --rate ${rate} | ${run.targetRate.toFixed(1)}/s | ${run.achievedRate.toFixed(1)}/s | ${run.requests} | ${run.dropped} | ${run.errorPercent.toFixed(1)} % |`;
}

/**
 * Each service's resident memory as the containers run it: the compiled dist/ on Node with the
 * image's environment, tracing on as compose and the cluster switch it on (exporting to a local
 * OTLP receiver in Tempo's place), idle, under the heaviest scenario and at --rate 5 of it, held
 * against its compose mem_limit.
 */
export async function benchMemory(): Promise<BenchSection> {
  ensureFreshBuild();
  const stackLimits = composeLimitsMiB();
  const limits = Object.fromEntries(
    serviceNames.map((name) => {
      const limit = stackLimits[name];
      if (limit === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
      return [name, limit];
    }),
  ) as Record<ServiceName, number>;
  const stackTotal = Object.values(stackLimits).reduce((sum, limit) => sum + limit, 0);
  const scenario = heaviestScenario();
  const receiver = await startOtlpReceiver();
  const env = { ...imageEnv(), OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url };
  const stack = await startNativeStack({
    ports: 'random',
    prometheus: false,
    fromDist: true,
    output: 'quiet',
    serviceEnv: env,
  });
  try {
    const idle = await peakDuring(stack, () => new Promise((resolve) => setTimeout(resolve, idleSettleMs)));
    const atDefault = await peakDuring(stack, () => runScenario(stack, scenario.name, 1));
    const turnedUp = await peakDuring(stack, () => runScenario(stack, scenario.name, turnedUpRate));
    const runs = [idle, atDefault, turnedUp];
    const fmt = (mib: number) => `${mib.toFixed(1)} MiB`;
    const needed = (name: ServiceName) =>
      Math.ceil(Math.max(...runs.map((run) => run.rss[name])) * (1 + headroom));
    const rows = serviceNames.map((name) => {
      const ceiling = limits[name] / (1 + headroom);
      const met = Math.max(...runs.map((run) => run.rss[name])) <= ceiling;
      const heapUsed = Math.max(...runs.map((run) => run.heap[name].used));
      const heapTotal = Math.max(...runs.map((run) => run.heap[name].total));
      return `| ${name} | ${fmt(idle.rss[name])} | ${fmt(atDefault.rss[name])} | ${fmt(turnedUp.rss[name])} | ${fmt(heapUsed)} / ${fmt(heapTotal)} | ${limits[name]} MiB | ≤ ${fmt(ceiling)} | ${verdict(met)} | ${needed(name)} MiB |`;
    });
    const total = serviceNames.reduce((sum, name) => sum + limits[name], 0);
    const neededTotal = serviceNames.reduce((sum, name) => sum + needed(name), 0);
    const markdown = [
      `Native stack from \`dist/\` (\`npm run build\`, Node ${process.version}; the image runs Node 22), ` +
        `PostgreSQL 15 from Debian; RSS sampled every 250 ms from /proc, the V8 heap every second from each ` +
        `service's /metrics. Services started with the environment of the Dockerfile's runtime stage and, ` +
        `as on the Docker stack and the cluster, tracing on (exporting to a local OTLP receiver in Tempo's place): ` +
        `${
          Object.entries(env)
            .map(([name, value]) => `\`${name}=${value}\``)
            .join(', ') || 'none'
        }. ` +
        `Heaviest scenario: \`${scenario.name}\` (the highest peak rate), run whole by \`shopfast-sim run\`, then at \`--rate ${turnedUpRate}\`.`,
      '',
      `| service | RSS idle (${idleSettleMs / 1000} s) | peak, ${scenario.name} | peak, ${scenario.name} --rate ${turnedUpRate} | heap peak, used / reserved | compose mem_limit | target: the highest of the three with ${headroom * 100} % headroom | | mem_limit for ${headroom * 100} % headroom |`,
      '|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `The four services' limits add up to ${total} MiB; with ${headroom * 100} % headroom over these peaks they would need ${neededTotal} MiB.`,
      '',
      `The whole stack's limits (every part compose starts: ${Object.keys(stackLimits).join(', ')}) add up to ${stackTotal} MiB; target ≤ ${stackLimitTargetMiB} MiB (1.5 GiB): ${verdict(stackTotal <= stackLimitTargetMiB)}.`,
      '',
      '| load | journeys/s planned (mean) | achieved | requests | dropped | errors |',
      '|---|---|---|---|---|---|',
      loadLine(1, atDefault.outcome),
      loadLine(turnedUpRate, turnedUp.outcome),
    ].join('\n');
    return { title: 'Memory as Docker runs it', markdown };
  } finally {
    await stack.stop();
    await receiver.close();
  }
}
