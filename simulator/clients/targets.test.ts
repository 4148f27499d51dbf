import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { serviceNames } from '../../domain/services.ts';
import { UsageError } from '../errors.ts';
import { portVariable, resolveTargets, type Targets } from './targets.ts';

const workdirs: string[] = [];

afterAll(() => {
  for (const dir of workdirs) rmSync(dir, { recursive: true, force: true });
});

function workdir(files: { stack?: object; dotEnv?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'shopfast-targets-'));
  workdirs.push(dir);
  if (files.stack) {
    mkdirSync(join(dir, '.native'));
    writeFileSync(join(dir, '.native', 'stack.json'), JSON.stringify(files.stack));
  }
  if (files.dotEnv !== undefined) writeFileSync(join(dir, '.env'), files.dotEnv);
  return dir;
}

/** A .env that moves every port docker-compose.yml publishes (none of them a default). */
const movedPorts = {
  API_PORT: 58080,
  FRONTEND_PORT: 58081,
  PAYMENT_PORT: 58082,
  INVENTORY_PORT: 58083,
  GRAFANA_PORT: 53000,
  PROMETHEUS_PORT: 59090,
  LOKI_PORT: 53100,
  POSTGRES_PORT: 55432,
};
const movedDotEnv = Object.entries(movedPorts)
  .map(([name, port]) => `${name}=${port}`)
  .join('\n');

/** api, frontend, payment, inventory, Prometheus, Loki, Grafana. */
const httpTargets = (targets: Targets) => [
  ...serviceNames.map((service) => targets.services[service]),
  targets.prometheusUrl,
  targets.lokiUrl,
  targets.grafanaUrl,
];

const nativeStack = {
  adminToken: 'from-stack',
  urls: { api: 'http://127.0.0.1:41001', frontend: 'http://127.0.0.1:41002' },
  prometheusUrl: 'http://127.0.0.1:41090',
  lokiUrl: null,
};

describe('resolveTargets', () => {
  it('defaults to the compose and native ports on localhost, with no admin token', () => {
    const targets = resolveTargets({}, {}, workdir());
    expect(httpTargets(targets)).toEqual([
      'http://localhost:8080',
      'http://localhost:8081',
      'http://localhost:8082',
      'http://localhost:8083',
      'http://localhost:9090',
      'http://localhost:3100',
      'http://localhost:3000',
    ]);
    expect(targets.adminToken).toBeUndefined();
    expect([targets.grafanaUser, targets.grafanaPassword]).toEqual(['admin', 'admin']);
  });

  it('reads the native runner’s stack file, then .env, for what flags and env leave open', () => {
    const dir = workdir({
      stack: nativeStack,
      dotEnv: 'ADMIN_TOKEN=from-dotenv\nGF_SECURITY_ADMIN_PASSWORD=s3cret\n',
    });
    const targets = resolveTargets({}, {}, dir);
    expect(targets.services.api).toBe('http://127.0.0.1:41001');
    expect(targets.services.payment).toBe('http://localhost:8082');
    expect(targets.prometheusUrl).toBe('http://127.0.0.1:41090');
    expect(targets.lokiUrl).toBe('http://localhost:3100');
    expect(targets.adminToken).toBe('from-stack');
    expect(targets.adminTokenSource).toBe('.native/stack.json');
    expect(targets.grafanaPassword).toBe('s3cret');
    expect(resolveTargets({}, {}, workdir({ dotEnv: 'ADMIN_TOKEN=from-dotenv' })).adminToken).toBe(
      'from-dotenv',
    );
  });

  it('lets the environment beat the files and flags beat the environment', () => {
    const dir = workdir({ stack: nativeStack });
    const env = {
      SHOPFAST_API_URL: 'http://api.internal:80/',
      ADMIN_TOKEN: 'from-env',
      GRAFANA_URL: 'http://g:3000',
    };
    const fromEnv = resolveTargets({}, env, dir);
    expect(fromEnv.services.api).toBe('http://api.internal');
    expect(fromEnv.adminToken).toBe('from-env');
    expect(fromEnv.grafanaUrl).toBe('http://g:3000');
    const fromFlags = resolveTargets({ apiUrl: 'https://shop.example', adminToken: 'from-flag' }, env, dir);
    expect(fromFlags.services.api).toBe('https://shop.example');
    expect(fromFlags.adminToken).toBe('from-flag');
    expect(fromFlags.adminTokenSource).toBe('--admin-token');
  });

  it('follows every port a .env moves, as docker compose publishes them', () => {
    const targets = resolveTargets({}, {}, workdir({ dotEnv: `POSTGRES_PASSWORD=pw\n${movedDotEnv}\n` }));
    expect(httpTargets(targets)).toEqual([
      'http://localhost:58080',
      'http://localhost:58081',
      'http://localhost:58082',
      'http://localhost:58083',
      'http://localhost:59090',
      'http://localhost:53100',
      'http://localhost:53000',
    ]);
    expect(targets.databaseUrl).toBe('postgres://shopfast:pw@localhost:55432/shopfast');
  });

  it('reads the port variables docker-compose.yml and .env.example use', () => {
    const repo = join(import.meta.dirname, '../..');
    const compose = parse(readFileSync(join(repo, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { ports?: string[] }>;
    };
    const published = (service: string) => compose.services[service]?.ports?.[0] ?? '';
    const example = readFileSync(join(repo, '.env.example'), 'utf8');
    const composeNames: Record<string, string> = {
      ...Object.fromEntries(serviceNames.map((service) => [portVariable(service), service])),
      GRAFANA_PORT: 'grafana',
      PROMETHEUS_PORT: 'prometheus',
      LOKI_PORT: 'loki',
      POSTGRES_PORT: 'postgres',
    };
    expect(Object.keys(composeNames).sort()).toEqual(Object.keys(movedPorts).sort());
    for (const [variable, service] of Object.entries(composeNames)) {
      expect(published(service), service).toMatch(new RegExp(`^127\\.0\\.0\\.1:\\$\\{${variable}:-\\d+\\}:`));
      expect(example).toMatch(new RegExp(`^${variable}=\\d+$`, 'm'));
    }
  });

  it('lets the stack file, the environment and flags beat the ports in .env', () => {
    const dir = workdir({ stack: nativeStack, dotEnv: movedDotEnv });
    const targets = resolveTargets({ paymentUrl: 'http://flag:1' }, { LOKI_URL: 'http://env:2' }, dir);
    expect(targets.services).toEqual({
      api: 'http://127.0.0.1:41001',
      frontend: 'http://127.0.0.1:41002',
      payment: 'http://flag:1',
      inventory: 'http://localhost:58083',
    });
    expect(targets.prometheusUrl).toBe('http://127.0.0.1:41090');
    expect(targets.lokiUrl).toBe('http://env:2');
    expect(targets.grafanaUrl).toBe('http://localhost:53000');
  });

  it('names the .env line whose port is not a port', () => {
    for (const bad of ['API_PORT=80a', 'GRAFANA_PORT=70000', 'POSTGRES_PORT=0']) {
      expect(() => resolveTargets({}, {}, workdir({ dotEnv: bad }))).toThrow(
        new UsageError(`.env sets ${bad}, which is not a port (a whole number 1-65535)`),
      );
    }
  });

  it('rejects URLs that are not http(s) with the target’s name', () => {
    expect(() => resolveTargets({ lokiUrl: 'localhost:3100' }, {}, workdir())).toThrow(UsageError);
    expect(() => resolveTargets({}, { PROMETHEUS_URL: 'nope' }, workdir())).toThrow(/Prometheus URL "nope"/);
  });

  it('finds the database for the rule preview: flag, env, stack file, else compose’s published port', () => {
    const stack = { ...nativeStack, databaseUrl: 'postgres://app:pw@127.0.0.1:41432/shop' };
    expect(resolveTargets({}, {}, workdir({ stack })).databaseUrl).toBe(stack.databaseUrl);
    const env = { DATABASE_URL: 'postgresql://env@db:5432/shopfast' };
    expect(resolveTargets({}, env, workdir({ stack })).databaseUrl).toBe(env.DATABASE_URL);
    expect(
      resolveTargets({ databaseUrl: 'postgres://flag@db/shopfast' }, env, workdir({ stack })).databaseUrl,
    ).toBe('postgres://flag@db/shopfast');
    expect(resolveTargets({}, {}, workdir()).databaseUrl).toBe(
      'postgres://shopfast:shopfast@localhost:5432/shopfast',
    );
    expect(
      resolveTargets({}, {}, workdir({ dotEnv: 'POSTGRES_PASSWORD=s3cret\nPOSTGRES_PORT=15432\n' }))
        .databaseUrl,
    ).toBe('postgres://shopfast:s3cret@localhost:15432/shopfast');
  });

  it('rejects a database URL that is not PostgreSQL, without echoing it', () => {
    const attempt = () => resolveTargets({ databaseUrl: 'mysql://root:hunter2@db/x' }, {}, workdir());
    expect(attempt).toThrow(/database URL is not a PostgreSQL URL/);
    expect(attempt).not.toThrow(/hunter2/);
  });

  it('says which stack file is broken', () => {
    const dir = workdir();
    mkdirSync(join(dir, '.native'));
    writeFileSync(join(dir, '.native', 'stack.json'), '{ not json');
    expect(() => resolveTargets({}, {}, dir)).toThrow(/stack\.json is not valid JSON/);
  });
});
