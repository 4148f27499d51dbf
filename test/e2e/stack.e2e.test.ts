// The Docker stack end to end, wherever a Docker engine runs: compose up (built here), the simulator's
// check, every scenario until Grafana reports its alerts firing, exactly those alerts and no others,
// the webhook reaching the status page, reset back to Normal, and `down -v` leaving nothing behind.
// Time to fire per alert goes to bench/e2e-results.md. Without Docker the suite skips in one line.
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DockerComposeEnvironment,
  getContainerRuntimeClient,
  Wait,
  type StartedDockerComposeEnvironment,
} from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertCatalog, type ScenarioName } from '../../grafana/src/catalog.ts';
import { freePorts } from '../../scripts/native/ports.ts';
import { GrafanaClient, type AlertState, type RuleStatus } from '../../simulator/grafana-client.ts';

const root = join(import.meta.dirname, '../..');
const hasDocker = await getContainerRuntimeClient().then(
  () => true,
  () => false,
);
if (!hasDocker)
  console.info('e2e: skipped, no Docker engine here (testcontainers found no container runtime)');

/** `all` is left out: it runs these same scenarios back to back and would double the suite's time. */
const scenarios: ScenarioName[] = [
  'normal',
  'payment-failures',
  'high-cpu',
  'low-inventory',
  'flash-sale',
  'security-breach',
];
const expectedUids = (scenario: ScenarioName) =>
  alertCatalog
    .filter((a) => (a.scenarios as string[]).includes(scenario))
    .map((a) => a.uid)
    .sort();

const minutes = (n: number) => n * 60_000;

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
  const timeToFire: { scenario: ScenarioName; uid: string; expected: number; seconds: number }[] = [];
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
    if (timeToFire.length === 0) return;
    const rows = timeToFire.map(
      (t) => `| ${t.uid} | ${t.scenario} | ${t.expected} | ${t.seconds.toFixed(0)} |`,
    );
    writeFileSync(
      join(root, 'bench/e2e-results.md'),
      [
        '## Time to fire on the Docker stack (test/e2e/stack.e2e.test.ts)',
        '',
        `Measured ${new Date().toISOString()} from starting \`shopfast-sim run\` to Grafana reporting the rule firing`,
        '(rules API polled every 2 s). Expected: `expectedSecondsToFire` in grafana/src/catalog.ts.',
        '',
        '| alert | scenario | expected s | measured s |',
        '|---|---|---|---|',
        ...rows,
        '',
      ].join('\n'),
    );
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

  for (const scenario of scenarios) {
    const expected = expectedUids(scenario);
    it(
      `${scenario} fires exactly [${expected.join(', ')}], reaches the status page, and reset clears it`,
      async () => {
        const started = Date.now();
        const seenFiring = new Map<string, number>();
        const watching = new AbortController();
        // Watches every rule while the scenario runs, so an alert that fires and clears is still caught.
        const watcher = (async () => {
          while (!watching.signal.aborted) {
            const statuses: RuleStatus[] = await rules().catch(() => []);
            for (const uid of uidsIn(statuses, 'Firing')) {
              if (!seenFiring.has(uid)) seenFiring.set(uid, (Date.now() - started) / 1000);
            }
            await new Promise((resolve) => setTimeout(resolve, 2_000));
          }
        })();
        // `normal` fires nothing, so there is nothing to wait for: it runs its own 60 s.
        const args =
          scenario === 'normal' ? ['run', 'normal'] : ['run', scenario, '--until-firing', '--timeout', '240'];
        const run = await simulator(args, simulatorEnv, minutes(5));
        // Rules still pending when the run ends get a last chance to show up where they should not.
        await new Promise((resolve) => setTimeout(resolve, 30_000));
        watching.abort();
        await watcher;

        expect(run.code, run.output).toBe(0);
        expect([...seenFiring.keys()].sort(), run.output).toEqual(expected);
        for (const uid of expected) {
          const definition = alertCatalog.find((a) => a.uid === uid)!;
          timeToFire.push({
            scenario,
            uid,
            expected: definition.expectedSecondsToFire,
            seconds: seenFiring.get(uid)!,
          });
        }

        // Grafana's webhook contact point (group_wait 5 s) reports each firing alert to the status page.
        const titles = alertCatalog.filter((a) => expected.includes(a.uid)).map((a) => a.title);
        await eventually('the status page lists the firing alerts', minutes(1), async () => {
          const response = await fetch(`${urls.frontend}/api/incidents`);
          const { incidents } = (await response.json()) as {
            incidents: { alertName: string; status: string }[];
          };
          const reported = new Set(incidents.filter((i) => i.status === 'firing').map((i) => i.alertName));
          return titles.every((t) => reported.has(t)) ? true : undefined;
        });

        const reset = await simulator(['reset'], simulatorEnv, minutes(1));
        expect(reset.code, reset.output).toBe(0);
        await eventually('every rule back to Normal after reset', minutes(5), async () => {
          const statuses = await rules();
          return statuses.every((s) => s.state === 'Normal') ? true : undefined;
        });
      },
      minutes(12),
    );
  }

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
