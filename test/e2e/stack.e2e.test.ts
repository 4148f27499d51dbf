// The Docker stack end to end, wherever a Docker engine runs: compose up (built here), the simulator's
// check, then `shopfast-sim rehearse` against the real Grafana, Prometheus and Loki: every scenario
// fires exactly its catalogued alert instances within their estimates, each resolves after reset,
// nothing else fires, and the webhook reaches the status page; `down -v` leaves nothing behind.
// The rehearsal's times go to bench/RESULTS.md. Without Docker the suite skips in one line.
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  DockerComposeEnvironment,
  getContainerRuntimeClient,
  Wait,
  type StartedDockerComposeEnvironment,
} from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measuredOn, writeSections } from '../../bench/results-file.ts';
import { alertCatalog, ruleGroup } from '../../domain/alerts.ts';
import { freePorts } from '../../scripts/native/ports.ts';
import { GrafanaClient } from '../../simulator/clients/grafana-client.ts';
import { type AlertState, type RuleStatus } from '../../simulator/alerts/state-source.ts';
import type { RehearsalRow } from '../../simulator/rehearsal/rehearsal.ts';

const root = join(import.meta.dirname, '../..');
const hasDocker = await getContainerRuntimeClient().then(
  () => true,
  () => false,
);
if (!hasDocker)
  console.info('e2e: skipped, no Docker engine here (testcontainers found no container runtime)');

const minutes = (n: number) => n * 60_000;
const seconds = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(0)} s`);

const uidsIn = (statuses: RuleStatus[], state: AlertState) =>
  statuses
    .filter((s) => s.state === state)
    .map((s) => s.uid)
    .sort();

/** Runs `npx shopfast-sim ...` against the stack; resolves with its exit code and output, bounded in time. */
function simulator(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn('npx', ['shopfast-sim', ...args], { cwd: root, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // SIGINT like Ctrl-C: the simulator undoes its faults before it exits.
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Polls until check() returns a value other than undefined, or fails after timeoutMs with the last reason. */
async function eventually<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  let last: unknown = 'never checked';
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
      last = 'not yet';
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s (last: ${String(last)})`);
}

describe.skipIf(!hasDocker)('the Docker stack, end to end', () => {
  const project = `shopfast-e2e-${randomBytes(3).toString('hex')}`;
  const secrets = {
    ADMIN_TOKEN: randomBytes(16).toString('hex'),
    ALERT_WEBHOOK_SECRET: randomBytes(16).toString('hex'),
    GRAFANA_PASSWORD: randomBytes(16).toString('hex'),
    POSTGRES_PASSWORD: randomBytes(16).toString('hex'),
    GRAFANA_DB_PASSWORD: randomBytes(16).toString('hex'),
  };
  let environment: StartedDockerComposeEnvironment | undefined;
  let urls: { api: string; frontend: string; payment: string; inventory: string; grafana: string };
  let simulatorEnv: NodeJS.ProcessEnv;
  const rehearsalRows: (RehearsalRow & { verdict: string })[] = [];
  // Rule states from GET /api/prometheus/grafana/api/v1/rules, through the simulator's own client.
  const rules = async () => [...(await grafanaApi.ruleStatuses()).values()];
  let grafanaApi: GrafanaClient;

  beforeAll(async () => {
    // Free host ports, so a stack already running on the defaults does not get in the way.
    const [api, frontend, payment, inventory, grafana, prometheus, loki, postgres] = (await freePorts(
      8,
    )) as number[];
    const hostPorts = {
      API_PORT: api,
      FRONTEND_PORT: frontend,
      PAYMENT_PORT: payment,
      INVENTORY_PORT: inventory,
      GRAFANA_PORT: grafana,
      PROMETHEUS_PORT: prometheus,
      LOKI_PORT: loki,
      POSTGRES_PORT: postgres,
    };
    environment = await new DockerComposeEnvironment(root, 'docker-compose.yml')
      .withProjectName(project)
      .withBuild()
      .withEnvironment({
        ...secrets,
        ...Object.fromEntries(Object.entries(hostPorts).map(([k, v]) => [k, String(v)])),
      })
      .withDefaultWaitStrategy(Wait.forHealthCheck())
      .withStartupTimeout(minutes(10))
      .up();
    const local = (port: number | undefined) => `http://127.0.0.1:${port}`;
    urls = {
      api: local(api),
      frontend: local(frontend),
      payment: local(payment),
      inventory: local(inventory),
      grafana: local(grafana),
    };
    grafanaApi = new GrafanaClient(urls.grafana, 'admin', secrets.GRAFANA_PASSWORD, 10_000);
    simulatorEnv = {
      ADMIN_TOKEN: secrets.ADMIN_TOKEN,
      SHOPFAST_API_URL: urls.api,
      SHOPFAST_FRONTEND_URL: urls.frontend,
      SHOPFAST_PAYMENT_URL: urls.payment,
      SHOPFAST_INVENTORY_URL: urls.inventory,
      GRAFANA_URL: urls.grafana,
      PROMETHEUS_URL: local(prometheus),
      LOKI_URL: local(loki),
      GRAFANA_USER: 'admin',
      GRAFANA_PASSWORD: secrets.GRAFANA_PASSWORD,
    };
  }, minutes(15));

  afterAll(async () => {
    await environment?.down({ removeVolumes: true });
    if (rehearsalRows.length === 0) return;
    const rows = rehearsalRows
      .filter((row) => row.kind !== 'quiet')
      .map(
        (row) =>
          `| ${row.uid} | ${row.scenario} | ${row.instance || '—'} | ${seconds(row.pendingAtSeconds)} | ${seconds(row.firedAtSeconds)} | ${row.expectedFireSeconds ?? '—'} s | ${seconds(row.resolvedAtSeconds)} | ${row.expectedResolveSeconds ?? '—'} s | ${row.verdict === 'ok' ? 'met' : `missed (${row.verdict})`} |`,
      );
    writeSections([
      {
        title: 'Alert lifecycle on the Docker stack (npm run test:e2e)',
        markdown: [
          measuredOn(),
          '',
          "`shopfast-sim rehearse` against the real stack: Grafana's rules API, Prometheus scraping every 5 s, Loki.",
          `Target per row: Firing within the estimate + ${ruleGroup.intervalSeconds} s of the scenario's start, Normal within the estimate + ${ruleGroup.intervalSeconds} s of reset.`,
          '',
          '| alert | scenario | instance | Pending at | Firing at | estimate | Normal after reset | estimate | target |',
          '|---|---|---|---|---|---|---|---|---|',
          ...rows,
        ].join('\n'),
      },
    ]);
  }, minutes(3));

  it(
    'provisions every catalog rule, all Normal at start, and the simulator check passes',
    async () => {
      const statuses = await eventually('every rule evaluated once', minutes(2), async () => {
        const all = await rules();
        return all.length === alertCatalog.length ? all : undefined;
      });
      expect(statuses.map((s) => s.uid).sort()).toEqual(alertCatalog.map((a) => a.uid).sort());
      expect(statuses.filter((s) => s.health === 'error')).toEqual([]);
      expect(uidsIn(statuses, 'Firing')).toEqual([]);
      const check = await simulator(['check'], simulatorEnv, minutes(1));
      expect(check.code, check.output).toBe(0);
    },
    minutes(4),
  );

  it(
    'rehearse: every scenario fires exactly its alert instances on time, they resolve after reset, nothing else fires, and the status page hears of each',
    async () => {
      const reportFile = join(root, 'test-results', 'e2e-rehearsal.md');
      mkdirSync(dirname(reportFile), { recursive: true });
      const run = await simulator(
        ['rehearse', '--json', '--seed', '7', '--report', reportFile],
        simulatorEnv,
        minutes(25),
      );
      const events = run.output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const rows = events.filter((e) => e.type === 'rehearsal-row') as unknown as (RehearsalRow & {
        verdict: string;
      })[];
      rehearsalRows.push(...rows);
      expect(events[0], run.output).toMatchObject({ type: 'rehearsal-start', alertSource: 'grafana' });
      expect(
        rows.filter((row) => row.kind === 'unexpected'),
        'alerts that should have stayed Normal',
      ).toEqual([]);
      for (const row of rows.filter((r) => r.kind === 'expected')) {
        const what = `${row.scenario}: ${row.uid} ${row.instance}`;
        expect(row.firedAtSeconds, `${what} fired`).toBeDefined();
        expect(row.firedAtSeconds!, `${what} fired in time`).toBeLessThanOrEqual(
          row.expectedFireSeconds! + ruleGroup.intervalSeconds,
        );
        expect(row.resolvedAtSeconds, `${what} resolved`).toBeDefined();
        expect(row.resolvedAtSeconds!, `${what} resolved in time`).toBeLessThanOrEqual(
          row.expectedResolveSeconds! + ruleGroup.intervalSeconds,
        );
      }
      expect(run.code, run.output).toBe(0);

      // Grafana's webhook contact point told the status page of every alert, firing and resolved.
      const response = await fetch(`${urls.frontend}/api/incidents`);
      const { incidents } = (await response.json()) as { incidents: { alertName: string; status: string }[] };
      const reported = new Set(incidents.map((incident) => incident.alertName));
      for (const alert of alertCatalog) expect(reported, alert.title).toContain(alert.title);
    },
    minutes(30),
  );

  it(
    'down -v leaves no container, volume or network of the project behind',
    async () => {
      await environment!.down({ removeVolumes: true });
      environment = undefined;
      const filter = `label=com.docker.compose.project=${project}`;
      for (const kind of [
        ['ps', '-a'],
        ['volume', 'ls'],
        ['network', 'ls'],
      ]) {
        const listed = spawnSync('docker', [...kind, '-q', '--filter', filter], { encoding: 'utf8' });
        expect(listed.status, listed.stderr).toBe(0);
        expect(listed.stdout.trim(), `docker ${kind.join(' ')}`).toBe('');
      }
    },
    minutes(3),
  );
});
