import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePorts, isPortFree } from '../scripts/native/ports.ts';
import { removePostgres } from '../scripts/native/postgres.ts';
import { startNativeStack, type NativeStack, type StackInfo } from '../scripts/native/stack.ts';
import { serviceNames } from '../domain/services.ts';
import { commandLine, descendantPids, isAlive, parentPid, pidsWithCommandLine } from './support/processes.ts';
import { queryPrometheus } from './support/prometheus.ts';
import { waitFor } from './support/wait-for.ts';

const stack = inject('stack');

describe('the shared native stack', () => {
  it.each(serviceNames)('%s answers GET /ready with 200', async (name) => {
    const response = await fetch(`${stack.urls[name]}/ready`);
    expect(response.status).toBe(200);
  });

  it('has Prometheus scraping all four services, labelled job and service, and itself', async () => {
    const up = await waitFor(
      'all five targets up',
      async () => {
        const samples = await queryPrometheus(stack.prometheusUrl, 'up');
        return samples.length === 5 && samples.every((s) => s.value === 1) ? samples : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(up.map((s) => [s.metric.job, s.metric.service ?? '']).sort()).toEqual(
      [...[...serviceNames].map((name) => [name, name]), ['prometheus', '']].sort(),
    );
  });

  it("keeps the services' own service label (no exported_service)", async () => {
    const query = 'count by (service, exported_service) (app_startups_total)';
    const samples = await waitFor('a scrape of every service', async () => {
      const result = await queryPrometheus(stack.prometheusUrl, query);
      return result.length >= 4 ? result : undefined;
    });
    const labelSets = samples.map((s) => s.metric);
    expect(labelSets.sort((a, b) => (a.service ?? '').localeCompare(b.service ?? ''))).toEqual(
      [...serviceNames].sort().map((service) => ({ service })),
    );
  });
});

describe('startNativeStack', () => {
  it('stops what it started when a service fails half-way, quoting its output', async () => {
    const [api, frontend, payment, inventory, postgresPort] = (await freePorts(5)) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const started = startNativeStack({
      ports: { api, frontend, payment, inventory },
      postgresPort,
      prometheus: false,
      alertmanager: false,
      lokiUrl: 'not a url', // every service refuses it at startup and exits
      output: 'quiet',
    });
    await expect(started).rejects.toThrow(
      /exited \(1\) before .* was ready[\s\S]*last output[\s\S]*LOKI_URL/,
    );
    for (const port of [api, frontend, payment, inventory, postgresPort])
      expect(await isPortFree(port)).toBe(true);
    expect(pidsWithCommandLine(`-p ${postgresPort} `).map(commandLine)).toEqual([]);
  }, 90_000);

  it('uses DATABASE_URL instead of a throwaway server, and leaves that database alone when stopping', async () => {
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = stack.databaseUrl;
    let second: NativeStack | undefined;
    try {
      second = await startNativeStack({ ports: 'random', prometheus: false, output: 'quiet' });
      expect(second.postgres).toBeNull();
      expect(second.databaseUrl).toBe(stack.databaseUrl);
      expect(second.prometheusUrl).toBeNull();
      expect((await fetch(`${second.urls.api}/ready`)).status).toBe(200);
    } finally {
      await second?.stop();
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    }
    expect((await fetch(`${stack.urls.api}/ready`)).status).toBe(200);
  }, 90_000);
});

describe('the CLI (npx tsx scripts/native/cli.ts)', () => {
  let cli: ChildProcess | undefined;
  let workDir: string | undefined;
  let info: StackInfo | undefined;

  afterAll(async () => {
    // Only matters when a test failed half-way: leave nothing running.
    if (cli?.pid && cli.exitCode === null) {
      for (const pid of descendantPids(cli.pid)) process.kill(pid, 'SIGKILL');
      process.kill(-cli.pid, 'SIGKILL');
    }
    if (info?.postgres && existsSync(info.postgres.dataDir)) await removePostgres(info.postgres);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('prints its table, writes the stack file, and on SIGINT exits 0 leaving nothing behind', async () => {
    workDir = await mkdtemp(join(tmpdir(), 'shopfast-cli-test-'));
    const stackFile = join(workDir, 'stack.json');
    // Its own process group, as in a terminal; the test signals the runner itself (see below).
    cli = spawn('npx', ['tsx', 'scripts/native/cli.ts', '--random-ports', '--stack-file', stackFile], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    cli.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cli.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      cli?.once('exit', (code, signal) => resolve({ code, signal })),
    );

    await waitFor('the CLI to print its table', () => output.includes('Press Ctrl-C to stop everything'), {
      timeoutMs: 90_000,
    }).catch((err: Error) => {
      throw new Error(`${err.message}\n--- CLI output ---\n${output.slice(-3000)}`);
    });

    expect(statSync(stackFile).mode & 0o777).toBe(0o600);
    info = JSON.parse(await readFile(stackFile, 'utf8')) as StackInfo;
    for (const name of serviceNames) {
      expect(output).toContain(info.urls[name]);
      expect((await fetch(`${info.urls[name]}/ready`)).status).toBe(200);
    }
    expect(output).toContain(info.adminToken);
    expect(output).toContain(info.webhookSecret);
    // Alertmanager runs when installed (scripts/ensure-test-deps.sh installs it).
    expect(info.alertmanagerUrl).not.toBeNull();
    expect(output).toContain(`alertmanager    ${info.alertmanagerUrl}`);
    expect((await fetch(`${info.alertmanagerUrl}/-/ready`)).status).toBe(200);
    expect(info.postgres).not.toBeNull();
    const dataDir = info.postgres!.dataDir;
    expect(existsSync(dataDir)).toBe(true);

    // Everything that must be gone afterwards: the process tree and the postmaster, which pg_ctl
    // detaches from it.
    const postmasterPid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    const processes = [...descendantPids(cli.pid!), postmasterPid];
    // runner, 4 services, Prometheus, Alertmanager, postmaster
    expect(processes.filter(isAlive).length).toBeGreaterThanOrEqual(8);

    // npx's sh layer does not pass a lone SIGINT on, so signal the runner: the parent of the services.
    const apiProcess = processes.find((pid) => commandLine(pid).includes('services/api/main.ts'));
    const runnerPid = apiProcess === undefined ? null : parentPid(apiProcess);
    expect(runnerPid).not.toBeNull();
    const stopAsked = Date.now();
    process.kill(runnerPid!, 'SIGINT');
    const result = await Promise.race([
      exited,
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000)),
    ]);
    expect(result, `CLI output:\n${output.slice(-3000)}`).toEqual({ code: 0, signal: null });
    console.log(`[native-runner] CLI stopped ${Date.now() - stopAsked} ms after SIGINT`);

    expect(processes.filter(isAlive).map((pid) => `${pid} ${commandLine(pid)}`)).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(stackFile)).toBe(false);
    for (const url of [...Object.values(info.urls), info.prometheusUrl!, info.alertmanagerUrl!]) {
      expect(await isPortFree(Number(new URL(url).port))).toBe(true);
    }
    expect(await isPortFree(info.postgres!.port)).toBe(true);
  }, 150_000);

  it('refuses a taken port with a message naming it, before starting anything', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const [frontend, payment, inventory, prometheus, alertmanager, postgres] = await freePorts(6);
    try {
      const run = spawn(
        'npx',
        [
          'tsx',
          'scripts/native/cli.ts',
          ...['--api-port', String(taken), '--frontend-port', String(frontend)],
          ...['--payment-port', String(payment), '--inventory-port', String(inventory)],
          ...['--prometheus-port', String(prometheus), '--postgres-port', String(postgres)],
          ...['--alertmanager-port', String(alertmanager)],
          ...['--stack-file', join(tmpdir(), `shopfast-never-written-${process.pid}.json`)],
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      run.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      run.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise((resolve) => run.once('exit', resolve));
      expect(code).toBe(1);
      expect(output).toContain(`${taken} (api)`);
      expect(output).not.toContain('starting a throwaway PostgreSQL');
    } finally {
      blocker.close();
    }
  }, 60_000);
});
