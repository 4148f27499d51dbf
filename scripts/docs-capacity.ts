// The memory and CPU figures of the docs, from where they are set: docker-compose.yml's mem_limits
// (README, TALK_NOTES) and the Kubernetes base's requests and limits (WORKSHOP's capacity plan).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { serviceNames } from '../domain/services.ts';
import { repoRoot } from './native/paths.ts';
import { simulatorJob } from './workshop/sim-job.ts';

const displayNames: Record<string, string> = {
  postgres: 'PostgreSQL',
  prometheus: 'Prometheus',
  loki: 'Loki',
  tempo: 'Tempo',
  grafana: 'Grafana',
};
const displayName = (part: string) => displayNames[part] ?? part;
const isShopService = (part: string) => (serviceNames as readonly string[]).includes(part);

/** Compose's and Kubernetes' memory quantities ("160m", "168Mi", "1g") in MiB. */
export function mebibytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(m|mi|mb|g|gi|gb)?$/i.exec(quantity.trim());
  if (!match) throw new Error(`a memory quantity this reader does not know: "${quantity}"`);
  return Number(match[1]) * (/^g/i.test(match[2] ?? '') ? 1024 : 1);
}

/** Kubernetes' CPU quantities ("75m", "2", "0.5") in millicores. */
export function millicores(quantity: string | number): number {
  const text = String(quantity);
  return text.endsWith('m') ? Number(text.slice(0, -1)) : Number(text) * 1000;
}

export interface ComposeLimit {
  part: string;
  mib: number;
  /** False for a part that runs only on request (a compose profile: the simulator). */
  always: boolean;
}

interface ComposeService {
  mem_limit?: string;
  profiles?: string[];
  /** Why a one-shot step has no limit: it exits before the others start (test/compose.test.ts). */
  'x-mem-limit-reason'?: string;
}

export function composeLimits(
  text = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'),
): ComposeLimit[] {
  const compose = parse(text, { merge: true }) as { services: Record<string, ComposeService> };
  return Object.entries(compose.services).flatMap(([part, service]) => {
    if (service.mem_limit) return [{ part, mib: mebibytes(service.mem_limit), always: !service.profiles }];
    if (service['x-mem-limit-reason']) return [];
    throw new Error(`docker-compose.yml: ${part} has no mem_limit`);
  });
}

const total = (limits: { mib: number }[]) => limits.reduce((sum, limit) => sum + limit.mib, 0);

/** What start-demo.sh asks of Docker Desktop: the limits plus 256 MiB, in whole GB (check_engine_memory). */
export function dockerMemoryGb(limitsMiB: number): number {
  return Math.ceil((limitsMiB + 256) / 1024);
}

/** README: what the stack's containers may use, part by part. */
export function composeMemory(limits = composeLimits()): string {
  const always = limits.filter((limit) => limit.always);
  const onRequest = limits.filter((limit) => !limit.always);
  const infrastructure = always.filter((l) => !isShopService(l.part)).sort((a, b) => b.mib - a.mib);
  const shop = always.filter((l) => isShopService(l.part));
  const stack = total(always);
  return (
    `Give Docker Desktop ${dockerMemoryGb(stack)} GB of memory or more (Settings → Resources → Memory): ` +
    `the containers' limits total ${stack} MiB (${stack + total(onRequest)} MiB while ` +
    `\`docker compose run --rm sim\` runs): ` +
    infrastructure.map((l) => `${displayName(l.part)} ${l.mib}`).join(', ') +
    `, and the shop's services ${total(shop)} (` +
    shop.map((l) => `${l.part} ${l.mib}`).join(', ') +
    '; at least 30 % over their measured peaks from `dist/` with tracing on, bench/RESULTS.md). ' +
    "docker-compose.yml's header gives the figure behind each. `./start-demo.sh` compares Docker's " +
    'memory with those limits before starting and names the size to set.'
  );
}

/** TALK_NOTES: the night before, Docker Desktop's memory. */
export function talkDockerMemory(limits = composeLimits()): string {
  const stack = total(limits.filter((limit) => limit.always));
  return (
    `Give Docker Desktop at least ${dockerMemoryGb(stack)} GB of memory (the stack's containers ` +
    `are limited to ${stack} MiB together).`
  );
}

export interface PartBudget {
  part: string;
  memoryMiB: number;
  cpuRequestMilli: number;
  cpuLimitMilli: number;
}

interface Resources {
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
}
interface Workload {
  kind?: string;
  metadata?: { name?: string };
  spec?: { template?: { spec?: { containers?: { resources?: Resources }[] } } };
}

/** The sum over a pod's containers; memory is requested as much as it is limited (a test checks). */
function budgetOf(part: string, containers: { resources?: Resources }[]): PartBudget {
  const sum = (pick: (r: Resources) => number) =>
    containers.reduce((n, container) => n + pick(container.resources ?? {}), 0);
  return {
    part,
    memoryMiB: sum((r) => mebibytes(r.limits?.memory ?? '0')),
    cpuRequestMilli: sum((r) => millicores(r.requests?.cpu ?? '0')),
    cpuLimitMilli: sum((r) => millicores(r.limits?.cpu ?? '0')),
  };
}

/** Every Deployment of deploy/kubernetes/base: one attendee's stack. */
export function stackBudgets(dir = join(repoRoot, 'deploy', 'kubernetes', 'base')): PartBudget[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => d.toJS() as Workload),
    )
    .filter((doc) => doc.kind === 'Deployment')
    .map((doc) => budgetOf(doc.metadata?.name ?? '?', doc.spec?.template?.spec?.containers ?? []));
}

/** The simulator Job's pod, as `npm run workshop:sim` prints it. */
export function simulatorJobBudget(): PartBudget {
  const job = simulatorJob('attendee-01', 'registry.example.org/shopfast-service:0.1.0', [
    'check',
  ]) as Workload;
  return budgetOf('a simulator Job, while it runs', job.spec?.template?.spec?.containers ?? []);
}

const cores = (milli: number) => `${milli % 1000 === 0 ? milli / 1000 : `${milli}m`}`;
const sumOf = (parts: PartBudget[], pick: (p: PartBudget) => number) =>
  parts.reduce((n, p) => n + pick(p), 0);

/** One attendee's stack: memory, CPU requests and limits of every part, and their sums. */
export function stackTotals(parts = stackBudgets()): Omit<PartBudget, 'part'> {
  return {
    memoryMiB: sumOf(parts, (p) => p.memoryMiB),
    cpuRequestMilli: sumOf(parts, (p) => p.cpuRequestMilli),
    cpuLimitMilli: sumOf(parts, (p) => p.cpuLimitMilli),
  };
}

/** WORKSHOP: the capacity table. */
export function capacityTable(parts = stackBudgets(), job = simulatorJobBudget()): string {
  const order = (p: PartBudget) => (isShopService(p.part) ? serviceNames.indexOf(p.part as never) : 10);
  const row = (p: PartBudget, name: string) =>
    `| ${name} | ${p.memoryMiB} MiB | ${cores(p.cpuRequestMilli)} | ${cores(p.cpuLimitMilli)} |`;
  const totals = stackTotals(parts);
  return [
    '| part | memory (request = limit) | CPU request | CPU limit |',
    '|---|---|---|---|',
    ...[...parts].sort((a, b) => order(a) - order(b)).map((p) => row(p, displayName(p.part))),
    `| **one attendee's stack** | **${totals.memoryMiB} MiB** | **${cores(totals.cpuRequestMilli)}** | ${cores(totals.cpuLimitMilli)} |`,
    row(job, job.part),
  ].join('\n');
}

/** Node sizes the plan is worked out for: allocatable memory (GiB) and CPUs. */
const nodeSizes = [
  { gib: 8, cpus: 4 },
  { gib: 16, cpus: 8 },
  { gib: 32, cpus: 8 },
  { gib: 64, cpus: 16 },
];
const plannedAttendees = 30;

/** WORKSHOP: how many stacks fit a node, and the nodes for a room of 30. */
export function capacityFit(totals = stackTotals()): string {
  const { memoryMiB, cpuRequestMilli } = totals;
  const byMemory = (gib: number) => Math.floor((gib * 1024) / memoryMiB);
  const byCpu = (cpus: number) => Math.floor((cpus * 1000) / cpuRequestMilli);
  const stacksOn = ({ gib, cpus }: (typeof nodeSizes)[number]) => Math.min(byMemory(gib), byCpu(cpus));
  const roomGiB = ((plannedAttendees * memoryMiB) / 1024).toFixed(1);
  const roomCpus = (plannedAttendees * cpuRequestMilli) / 1000;
  const plan = (node: (typeof nodeSizes)[number]) => {
    const nodes = Math.ceil(plannedAttendees / stacksOn(node));
    return `${nodes} nodes of ${node.gib} GiB and ${node.cpus} CPUs (${nodes * stacksOn(node)} stacks)`;
  };
  return [
    `How many attendees fit a node: \`min(allocatable memory ÷ ${memoryMiB} MiB, allocatable CPU ÷ ` +
      `${cpuRequestMilli / 1000})\`, with allocatable as \`kubectl describe node\` reports it (less than ` +
      'the node has: the system keeps some; leave room for the ingress controller and system pods too).',
    '',
    '| allocatable per node | stacks by memory | stacks by CPU requests |',
    '|---|---|---|',
    ...nodeSizes.map(({ gib, cpus }) => `| ${gib} GiB, ${cpus} CPU | ${byMemory(gib)} | ${byCpu(cpus)} |`),
    '',
    `**For ${plannedAttendees} attendees**: ${plannedAttendees} × ${memoryMiB} MiB = ${roomGiB} GiB of ` +
      `memory and ${plannedAttendees} × ${cpuRequestMilli}m = ${roomCpus} CPUs of requests: ` +
      `${plan(nodeSizes[1]!)}, or ${plan(nodeSizes[2]!)}; give one more for headroom and the system pods.`,
  ].join('\n');
}
