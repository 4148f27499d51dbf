import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../scripts/native/ports.ts';
import { serviceNames } from '../../domain/services.ts';
import { exitCodes } from '../errors.ts';
import { portVariable } from './targets.ts';
import { envWithoutTargets } from '../../harness/cli-env.ts';
import { runCliInProcess } from '../../harness/cli-in-process.ts';
import type { CliOutcome } from '../../harness/cli-output.ts';

// `shopfast-sim check` and `status` run (in-process) as attendees run them, in a folder whose .env moves every
// port: each moved HTTP port gets a listener that records the request and drops the connection (so
// every check fails, as against a stack that is not up), and the output must name those ports.

const httpTargets = [...serviceNames, 'prometheus', 'loki', 'grafana'] as const;
const portVariables: Record<(typeof httpTargets)[number], string> = {
  ...(Object.fromEntries(serviceNames.map((service) => [service, portVariable(service)])) as Record<
    (typeof serviceNames)[number],
    string
  >),
  prometheus: 'PROMETHEUS_PORT',
  loki: 'LOKI_PORT',
  grafana: 'GRAFANA_PORT',
};

const listeners: Server[] = [];
let requested = new Map<number, string[]>();
let ports: Record<(typeof httpTargets)[number], number>;
let postgresPort: number;
let check: CliOutcome;
let status: CliOutcome;
/** Paths requested per port while `check` ran, then while `status` ran. */
let checkRequests: Map<number, string[]>;
let statusRequests: Map<number, string[]>;

/** Records each request's path, then closes the connection without an answer. */
function recordingListener(port: number): Promise<Server> {
  const server = createServer((req) => {
    requested.set(port, [...(requested.get(port) ?? []), req.url ?? '']);
    req.socket.destroy();
  });
  listeners.push(server);
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  const [postgres, ...free] = await freePorts(httpTargets.length + 1);
  postgresPort = postgres!;
  ports = Object.fromEntries(httpTargets.map((target, i) => [target, free[i]!])) as typeof ports;
  await Promise.all(Object.values(ports).map(recordingListener));
  const dotEnv = [
    ...httpTargets.map((target) => `${portVariables[target]}=${ports[target]}`),
    `POSTGRES_PORT=${postgresPort}`,
    'ADMIN_TOKEN=from-dotenv-0123',
  ].join('\n');
  check = await runCliInProcess(['check'], envWithoutTargets(), `${dotEnv}\n`);
  checkRequests = requested;
  requested = new Map();
  status = await runCliInProcess(['status'], envWithoutTargets(), `${dotEnv}\n`);
  statusRequests = requested;
});

afterAll(async () => {
  await Promise.all(listeners.map((server) => new Promise((resolve) => server.close(resolve))));
});

const printedUrls = (outcome: CliOutcome) =>
  new Set([...outcome.stdout.matchAll(/https?:\/\/[^\s)]+/g)].map(([url]) => url));
const urlOf = (target: (typeof httpTargets)[number]) => `http://localhost:${ports[target]}`;

describe('shopfast-sim with every port moved in .env', () => {
  it('check tries each moved port and fails every check there', () => {
    expect(check.code, check.stderr).toBe(exitCodes.checkFailed);
    for (const target of httpTargets) {
      expect(checkRequests.get(ports[target])?.length, `${target} on ${ports[target]}`).toBeGreaterThan(0);
    }
    expect(checkRequests.get(ports.api)).toContain('/ready');
    expect(checkRequests.get(ports.prometheus)).toContain('/api/v1/targets?state=active');
    expect(checkRequests.get(ports.loki)).toContain('/ready');
  });

  it('check names those ports, and only those, in what it prints', () => {
    expect(printedUrls(check)).toEqual(new Set(httpTargets.map(urlOf)));
    for (const service of serviceNames) {
      expect(check.stdout).toContain(`${service} is not reachable at ${urlOf(service)}`);
    }
    expect(check.stdout).toContain(`Prometheus not reachable at ${urlOf('prometheus')}`);
    expect(check.stdout).toContain(`Loki not reachable at ${urlOf('loki')}`);
    expect(check.stdout).toContain(`Grafana not reachable at ${urlOf('grafana')}`);
  });

  it("status asks the moved ports, the rule preview's database included, and prints them", () => {
    for (const target of httpTargets) {
      expect(statusRequests.get(ports[target])?.length, `${target} on ${ports[target]}`).toBeGreaterThan(0);
    }
    expect(printedUrls(status)).toEqual(new Set([...serviceNames.map(urlOf), urlOf('grafana')]));
    for (const service of serviceNames) {
      expect(status.stdout).toContain(`${service} is not reachable at ${urlOf(service)}`);
    }
    expect(status.stdout).toContain(`Grafana not reachable at ${urlOf('grafana')}`);
    expect(status.stdout).toContain(`127.0.0.1:${postgresPort}`);
  });
});
