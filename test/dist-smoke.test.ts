// The production entry point, checked without Docker: the Dockerfile only copies what exists and
// runs what `npm run build` produces, the compiled code needs only production dependencies, and a
// service started by the image's own ENTRYPOINT passes the image's HEALTHCHECK and exits cleanly on
// SIGTERM (what `docker stop` sends).
import { spawn, spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { defaultPorts, serviceNames } from '../domain/services.ts';
import { freePorts } from '../scripts/native/ports.ts';
import { waitUntilReady } from '../scripts/native/wait-ready.ts';
import { ensureFreshBuild } from '../harness/fresh-build.ts';

const root = join(import.meta.dirname, '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
/** The exec-form ENTRYPOINT and HEALTHCHECK commands, as Docker runs them. */
const entrypoint = JSON.parse(/^ENTRYPOINT (\[.+\])$/m.exec(dockerfile)![1]!) as string[];
const healthcheckCommand = JSON.parse(/^HEALTHCHECK[^]*?CMD (\[.+\])$/m.exec(dockerfile)![1]!) as string[];
/** The HEALTHCHECK as it runs here: the image's /app is the repository. */
const localHealthcheck = healthcheckCommand.map((arg) => arg.replace(/^\/app\//, `${root}/`));
/** Bare package names a compiled file imports (`pino`, `@hono/node-server`), and its relative imports. */
function importsOf(file: string): { packages: string[]; relatives: string[] } {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map(
    (m) => m[1]!,
  );
  const relatives = specifiers.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s));
  const packages = specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s))
    .map((s) =>
      s
        .split('/')
        .slice(0, s.startsWith('@') ? 2 : 1)
        .join('/'),
    );
  return { packages, relatives };
}

/** Every package reachable from the entry files through their relative imports. */
function packagesReachableFrom(entries: string[]): Map<string, string> {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const found = importsOf(file);
    for (const name of found.packages) packages.set(name, relative(root, file));
    queue.push(...found.relatives);
  }
  return packages;
}

describe('Dockerfile', () => {
  it('copies only files that exist in the repository and that .dockerignore lets through', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    expect(sources).toContain('package-lock.json');
    for (const source of sources) {
      expect(existsSync(join(root, source)), `COPY ${source}: missing`).toBe(true);
      expect(ignored, `COPY ${source} is excluded by .dockerignore`).not.toContain(source);
    }
  });

  it('pins its base image and runs as a non-root user with production dependencies only', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:\d+\.\d+\.\d+-\w+(-slim)?$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^COPY --from=deps \/app\/node_modules/m);
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).not.toMatch(/^COPY --from=build \/app\/node_modules/m);
  });

  it('starts dist/services/$SERVICE/main.js for exactly the four services, with exec (node as PID 1)', () => {
    const script = entrypoint.at(-1)!;
    expect(script).toContain('exec node "dist/services/$SERVICE/main.js"');
    expect(/case "\$SERVICE" in ([\w|]+)\)/.exec(script)![1]!.split('|').sort()).toEqual(
      [...serviceNames].sort(),
    );
  });

  it("health-checks each service's default port when PORT is unset", () => {
    expect(healthcheckCommand).toEqual(['bash', '/app/docker/healthcheck.sh']);
    const script = readFileSync(join(root, 'docker/healthcheck.sh'), 'utf8');
    const ports = Object.fromEntries(
      [...script.matchAll(/^ {4}(\w+)\) port=(\d+) ;;$/gm)].map((m) => [m[1]!, Number(m[2])]),
    );
    expect(ports).toEqual(defaultPorts);
    expect(script).toContain('GET /ready HTTP/1.0');
  });
});

describe('dist/ (the code the image runs)', () => {
  beforeAll(ensureFreshBuild, 300_000);

  it('has the entry file the Dockerfile starts for every service, and the simulator entry compose runs', () => {
    for (const name of serviceNames) {
      expect(existsSync(join(root, `dist/services/${name}/main.js`)), `dist/services/${name}/main.js`).toBe(
        true,
      );
    }
    const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: { sim: { entrypoint: string[] } };
    };
    const simEntry = compose.services.sim.entrypoint.at(-1)!;
    expect(existsSync(join(root, simEntry)), simEntry).toBe(true);
  });

  it('imports only production dependencies (the image has no devDependencies)', () => {
    const entries = [
      ...serviceNames.map((name) => join(root, `dist/services/${name}/main.js`)),
      join(root, 'dist/simulator/main.js'),
    ].filter(existsSync);
    const packages = packagesReachableFrom(entries);
    expect(packages.size).toBeGreaterThan(0);
    for (const [name, importer] of packages) {
      expect(packageJson.dependencies, `${importer} imports ${name}`).toHaveProperty(name);
    }
  });

  it('refuses an unknown SERVICE with a message and exit code 64', () => {
    const result = spawnSync(entrypoint[0]!, entrypoint.slice(1), {
      cwd: root,
      env: { PATH: process.env.PATH, SERVICE: 'shop' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(64);
    expect(result.stderr).toContain("SERVICE must be one of: api, frontend, payment, inventory (got 'shop')");
  });

  /** Payment started by the image's ENTRYPOINT; without LOKI_URL it logs to stdout only. */
  async function startPayment(databaseUrl: string) {
    const [port, closedPort] = (await freePorts(2)) as [number, number];
    const env = {
      PATH: process.env.PATH,
      SERVICE: 'payment',
      PORT: String(port),
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
    };
    const child = spawn(entrypoint[0]!, entrypoint.slice(1), {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
    await waitUntilReady(`http://127.0.0.1:${port}/health`, { what: 'payment from dist', timeoutMs: 20_000 });
    const healthcheck = (environment: NodeJS.ProcessEnv) =>
      spawnSync(localHealthcheck[0]!, localHealthcheck.slice(1), { env: environment, encoding: 'utf8' });
    const stop = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    return { env, child, exited, output: () => output, healthcheck, closedPort, stop };
  }

  it('starts payment through the image entrypoint: node as the process, healthy, exits 0 within 10 s of SIGTERM', async () => {
    const { env, child, exited, output, healthcheck, closedPort, stop } = await startPayment(
      inject('stack').databaseUrl,
    );
    try {
      // exec: the shell became node, so `docker stop`'s SIGTERM reaches node itself.
      expect(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0')).toEqual([
        'node',
        'dist/services/payment/main.js',
        '',
      ]);
      expect(healthcheck(env).status).toBe(0);
      expect(healthcheck({ ...env, PORT: String(closedPort) }).status).toBe(1);

      const stopAskedAt = Date.now();
      child.kill('SIGTERM');
      const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 10_000).unref());
      const result = await Promise.race([exited, timeout]);
      expect(result, `no exit within 10 s of SIGTERM; output:\n${output()}`).toEqual({
        code: 0,
        signal: null,
      });
      expect(Date.now() - stopAskedAt).toBeLessThan(10_000);
    } finally {
      stop();
    }
  }, 40_000);

  it('is not healthy while its database refuses it (a new .env next to an old volume)', async () => {
    // The test PostgreSQL trusts local logins whatever the password: an unknown role is refused.
    const url = new URL(inject('stack').databaseUrl);
    url.username = 'not_the_volumes_role';
    const { env, healthcheck, stop } = await startPayment(url.href);
    try {
      const probe = healthcheck(env);
      expect(probe.status).toBe(1);
      expect(probe.stdout).toMatch(/GET \/ready answered 503: .*"postgres"/);
    } finally {
      stop();
    }
  }, 40_000);
});
