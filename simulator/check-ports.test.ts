import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../scripts/native/ports.ts';
import { serviceNames } from '../services/kit/service-catalog.ts';
import { exitCodes } from './errors.ts';
import { portVariable } from './targets.ts';
import { envWithoutTargets, runCli, type CliOutcome } from './testing/cli-process.ts';

// `shopfast-sim check` run as attendees run it, in a folder whose .env moves every port: each
// moved port gets a listener that records the request and drops the connection (so every check
// fails, as against a stack that is not up), and the output must name exactly those ports.

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
const requested = new Map<number, string[]>();
let ports: Record<(typeof httpTargets)[number], number>;
let outcome: CliOutcome;

/** Records each request's path, then closes the connection without an answer. */
function recordingListener(port: number): Promise<Server> {
  requested.set(port, []);
  const server = createServer((req) => {
    requested.get(port)!.push(req.url ?? '');
    req.socket.destroy();
  });
  listeners.push(server);
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  const [postgresPort, ...free] = await freePorts(httpTargets.length + 1);
  ports = Object.fromEntries(httpTargets.map((target, i) => [target, free[i]!])) as typeof ports;
  await Promise.all(Object.values(ports).map(recordingListener));
  const dotEnv = [
    ...httpTargets.map((target) => `${portVariables[target]}=${ports[target]}`),
    `POSTGRES_PORT=${postgresPort}`,
    'ADMIN_TOKEN=from-dotenv-0123',
  ].join('\n');
  outcome = await runCli(['check'], envWithoutTargets(), 60_000, `${dotEnv}\n`);
}, 90_000);

afterAll(async () => {
  await Promise.all(listeners.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('shopfast-sim check with every port moved in .env', () => {
  it('tries each moved port and fails every check there', () => {
    expect(outcome.code, outcome.stderr).toBe(exitCodes.checkFailed);
    for (const target of httpTargets) {
      expect(requested.get(ports[target])!.length, `${target} on ${ports[target]}`).toBeGreaterThan(0);
    }
    expect(requested.get(ports.api)).toContain('/ready');
    expect(requested.get(ports.prometheus)).toContain('/api/v1/targets?state=active');
    expect(requested.get(ports.loki)).toContain('/ready');
  });

  it('names those ports, and only those, in what it prints', () => {
    const urls = [...outcome.stdout.matchAll(/https?:\/\/[^\s)]+/g)].map(([url]) => url);
    expect(new Set(urls)).toEqual(new Set(httpTargets.map((target) => `http://localhost:${ports[target]}`)));
    for (const service of serviceNames) {
      expect(outcome.stdout).toContain(`${service} is not reachable at http://localhost:${ports[service]}`);
    }
    expect(outcome.stdout).toContain(`Prometheus not reachable at http://localhost:${ports.prometheus}`);
    expect(outcome.stdout).toContain(`Loki not reachable at http://localhost:${ports.loki}`);
    expect(outcome.stdout).toContain(`Grafana not reachable at http://localhost:${ports.grafana}`);
  });
});
