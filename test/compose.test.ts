// Offline checks of the Docker stack: docker-compose.yml against the compose-spec schema and the
// project's own rules (pinned images, healthchecks, ports, memory, no default secrets), kept in step
// with .env.example, start-demo.sh and the Prometheus scrape config. No Docker engine needed.
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedDocs } from '../services/frontend/docs-routes.tsx';
import { defaultPorts } from '../domain/services.ts';

const root = join(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  pull_policy?: string;
  restart?: string;
  entrypoint?: string[];
  profiles?: string[];
  mem_limit?: string;
  ports?: string[];
  expose?: string[];
  command?: string[];
  volumes?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  'x-healthcheck-reason'?: string;
  'x-mem-limit-reason'?: string;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

// `merge: true` resolves the `<<: *anchor` keys the way Docker Compose does.
const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as ComposeFile;
const services = Object.entries(compose.services);

/** Published host ports, as the defaults of `${VAR:-default}` in the file. */
const expectedPorts: Record<string, number> = {
  ...defaultPorts,
  grafana: 3000,
  prometheus: 9090,
  loki: 3100,
  postgres: 5432,
};

/** `'127.0.0.1:${API_PORT:-8080}:8080'` → { variable: 'API_PORT', host: 8080, container: 8080 } */
function parsePort(spec: string) {
  const match = /^127\.0\.0\.1:\$\{(\w+):-(\d+)\}:(\d+)$/.exec(spec);
  if (!match) throw new Error(`port ${spec} is not of the form 127.0.0.1:\${VAR:-port}:port`);
  return { variable: match[1]!, host: Number(match[2]), container: Number(match[3]) };
}

/** `128m` / `1g` → MiB */
function mebibytes(limit: string): number {
  const match = /^(\d+)([mg])$/i.exec(limit);
  if (!match) throw new Error(`memory limit ${limit} is not of the form <n>m or <n>g`);
  return Number(match[1]) * (match[2]!.toLowerCase() === 'g' ? 1024 : 1);
}

function composeSchemaValidator() {
  const schema = JSON.parse(read('node_modules/dclint/schemas/compose.schema.json')) as Record<
    string,
    unknown
  >;
  // Draft-07 meta-schema URL that ajv 8 does not preload; the schema itself is plain draft-07.
  delete schema.$schema;
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

/** Every `${NAME<operator><argument>}` in the file, e.g. `${API_PORT:-8080}` or `${ADMIN_TOKEN:?message}`. */
function variableReferences() {
  return [...composeText.matchAll(/\$\{(\w+)(?:(:?[-?])([^}]*))?\}/g)].map((m) => ({
    name: m[1]!,
    operator: m[2],
    argument: m[3],
  }));
}

/** The secrets the stack makes on its first start (docker/stack-secrets.sh); none has a default. */
const secretNames = /^secret_names="([^"]*)"$/m.exec(read('docker/stack-secrets.sh'))![1]!.split(' ');
/** Where the containers find them: the `secrets` volume, one file per secret (and DATABASE_URL). */
const secretsMount = 'secrets:/run/shopfast-secrets:ro';
const secretFiles = [...secretNames, 'DATABASE_URL'].map((name) => `/run/shopfast-secrets/${name}`);

/** Services that run once and exit before their dependents start (`service_completed_successfully`). */
const oneShotServices = new Set(
  services.flatMap(([, service]) =>
    Object.entries(service.depends_on ?? {})
      .filter(([, { condition }]) => condition === 'service_completed_successfully')
      .map(([name]) => name),
  ),
);

/** The image built from the Dockerfile: the one of the services that have `build:`. */
function builtImage(): string {
  const builders = services.filter(([, service]) => service.build !== undefined);
  expect(builders.map(([name]) => name)).toHaveLength(1);
  return builders[0]![1].image!;
}

/** Every `<host>:<port>` a compose service listens on inside the stack (published or only exposed). */
function stackAddresses(): string[] {
  return services.flatMap(([name, service]) => [
    ...(service.ports ?? []).map((spec) => `${name}:${parsePort(spec).container}`),
    ...(service.expose ?? []).map((port) => `${name}:${port}`),
  ]);
}

const hasDockerCompose = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;

function envExampleSettings(): Map<string, string> {
  const lines = read('.env.example').split('\n');
  const settings = lines.filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split(/=(.*)/s) as [string, string]);
  return new Map(settings.map(([key, value]) => [key, value]));
}

describe('docker-compose.yml', () => {
  const validate = composeSchemaValidator();

  it('validates against the compose-spec schema', () => {
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('passes dclint without errors (its rules on ports, images and services; style warnings aside)', () => {
    const dclint = (file: string) =>
      spawnSync(join(root, 'node_modules/.bin/dclint'), ['--quiet', file], { encoding: 'utf8' });
    const result = dclint(join(root, 'docker-compose.yml'));
    expect((result.stdout + result.stderr).trim()).toBe('');
    expect(result.status).toBe(0);
    // The check can fail: two services publishing one port on every interface.
    const dir = mkdtempSync(join(tmpdir(), 'dclint-'));
    try {
      const nginx = "    image: nginx:1.27\n    ports: ['8080:80']\n";
      writeFileSync(join(dir, 'docker-compose.yml'), `services:\n  a:\n${nginx}  b:\n${nginx}`);
      const broken = dclint(join(dir, 'docker-compose.yml'));
      expect(broken.status).toBe(1);
      expect(broken.stdout).toContain('no-duplicate-exported-ports');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails the schema check when a service is malformed (the check can fail)', () => {
    const broken = structuredClone(compose);
    (broken.services.api as Record<string, unknown>).depends_on = { postgres: { condition: 'when_ready' } };
    (broken.services.loki as Record<string, unknown>).mem_limit = { size: 1 };
    expect(validate(broken)).toBe(false);
    expect(validate.errors!.length).toBeGreaterThanOrEqual(2);
  });

  it('pins every image to a version (no latest, no bare name)', () => {
    for (const [name, service] of services) {
      expect(service.image, `${name} has no image`).toBeTypeOf('string');
      const tag = /:([^/:]+)$/.exec(service.image!)?.[1];
      expect(tag, `${name}: ${service.image} has no tag`).toBeDefined();
      expect(tag, `${name}: ${service.image}`).not.toBe('latest');
      expect(tag, `${name}: ${service.image} is not a version`).toMatch(/\d+\.\d+/);
    }
  });

  it('gives every service a healthcheck, or documents why it has none', () => {
    const dockerfileHasHealthcheck = /^HEALTHCHECK\b[^]*?\bCMD\b/m.test(read('Dockerfile'));
    for (const [name, service] of services) {
      if (service.healthcheck?.disable) {
        expect(service['x-healthcheck-reason'], `${name} disables its healthcheck without a reason`).toMatch(
          /\w{3}/,
        );
      } else if (service.healthcheck?.test) {
        expect(service.healthcheck.test[0], name).toMatch(/^CMD(-SHELL)?$/);
      } else {
        expect(service.image, `${name} has neither a healthcheck nor the image built here`).toBe(
          builtImage(),
        );
        expect(dockerfileHasHealthcheck, 'the Dockerfile has no HEALTHCHECK').toBe(true);
      }
    }
  });

  it('bind-mounts only paths that exist in the repository, and declares its named volumes', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [name, service] of services) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('./'))
          expect(existsSync(join(root, source)), `${name} mounts missing ${source}`).toBe(true);
        else expect(declared, `${name} uses undeclared volume ${source}`).toContain(source);
      }
    }
  });

  it('mounts the generated Grafana provisioning folder where Grafana reads it', () => {
    expect(compose.services.grafana!.volumes).toContain(
      './grafana/provisioning:/etc/grafana/provisioning:ro,z',
    );
  });

  it('mounts repository files read-only and labelled for SELinux hosts (:z, shared by containers)', () => {
    const binds = services.flatMap(([name, service]) =>
      (service.volumes ?? []).filter((v) => v.startsWith('./')).map((v) => ({ name, v })),
    );
    expect(binds.length).toBeGreaterThanOrEqual(6);
    for (const { name, v } of binds) expect(v.split(':')[2], `${name}: ${v}`).toBe('ro,z');
  });

  it('gives Grafana every $VAR its provisioning files expand (or its file), and the dashboards folder they name', () => {
    const dir = join(root, 'grafana/provisioning');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    // Grafana expands $VAR and ${VAR} in provisioning strings; $$ is a literal dollar.
    const referenced = [...text.matchAll(/(?<!\$)\$\{?([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!);
    expect(referenced).toContain('ALERT_WEBHOOK_SECRET');
    const environment = compose.services.grafana!.environment ?? {};
    // A <NAME>_FILE becomes NAME before Grafana starts: docker/secret-files-env.sh runs first.
    expect(compose.services.grafana!.entrypoint?.[1]).toBe('/usr/local/bin/secret-files-env.sh');
    for (const name of referenced) {
      expect(name in environment || `${name}_FILE` in environment, `Grafana lacks ${name}`).toBe(true);
    }
    for (const [, path] of text.matchAll(/^\s+path: (\/etc\/grafana\/provisioning\/\S+)$/gm)) {
      const inRepo = path!.replace('/etc/grafana/provisioning', 'grafana/provisioning');
      expect(existsSync(join(root, inRepo)), `provisioning names ${path}, missing as ${inRepo}`).toBe(true);
    }
  });

  it('publishes each port of the design, on 127.0.0.1, overridable from .env', () => {
    const published = services.flatMap(([name, service]) =>
      (service.ports ?? []).map((spec) => ({ name, ...parsePort(spec) })),
    );
    expect(Object.fromEntries(published.map((p) => [p.name, p.host]))).toEqual(expectedPorts);
    for (const port of published) expect(port.container, port.name).toBe(expectedPorts[port.name]);
    const example = envExampleSettings();
    for (const port of published) expect(example.get(port.variable), port.variable).toBe(String(port.host));
  });

  it('sets memory limits on every service but the one-shots, and says in its header how they add up', () => {
    const unlimited = services.filter(([, service]) => service.mem_limit === undefined);
    for (const [name, service] of unlimited) {
      expect(oneShotServices, `${name} has no mem_limit`).toContain(name);
      expect(service['x-mem-limit-reason'], `${name} has no mem_limit and no reason`).toMatch(/\w{3}/);
      expect(composeText, name).toMatch(new RegExp(`^# {3}${name} +no limit`, 'm'));
    }
    const limits = services
      .filter(([, service]) => service.mem_limit !== undefined)
      .map(([name, service]) => {
        return { name, always: !service.profiles, mib: mebibytes(service.mem_limit!) };
      });
    const stack = limits.filter((limit) => limit.always).reduce((sum, limit) => sum + limit.mib, 0);
    const withSim = limits.reduce((sum, limit) => sum + limit.mib, 0);
    const header = /^# {3}total +(\d+) +MiB for the stack \((\d+) MiB while/m.exec(composeText);
    expect(header, 'the header states the total').not.toBeNull();
    expect(Number(header![1])).toBe(stack);
    expect(Number(header![2])).toBe(withSim);
    // Each part's line in the header table names its limit.
    for (const { name, mib } of limits.filter((limit) => limit.always)) {
      expect(composeText, name).toMatch(new RegExp(`^# {3}${name} +${mib}\\b`, 'm'));
    }
  });

  it("gives Grafana at least its documented minimum of 512 MB, and Go's soft limit 80-90 % of the limit", () => {
    expect(mebibytes(compose.services.grafana!.mem_limit!)).toBeGreaterThanOrEqual(512);
    for (const name of ['grafana', 'loki', 'tempo']) {
      const service = compose.services[name]!;
      const soft = /^(\d+)MiB$/.exec(String(service.environment?.GOMEMLIMIT ?? ''));
      expect(soft, `${name} has no GOMEMLIMIT in MiB`).not.toBeNull();
      const share = Number(soft![1]) / mebibytes(service.mem_limit!);
      expect(share, name).toBeGreaterThanOrEqual(0.8);
      expect(share, name).toBeLessThanOrEqual(0.9);
    }
  });

  it('builds the shared image in exactly one service; every other user of it only runs it', () => {
    const image = builtImage();
    expect(image).toBe('shopfast-service:0.1.0');
    const users = services.filter(([, service]) => service.image === image);
    expect(users.map(([name]) => name).sort()).toEqual([...Object.keys(defaultPorts), 'sim'].sort());
    for (const [name, service] of users) {
      // Never looked for in a registry: it exists only where it was built.
      expect(service.pull_policy, name).toBe('never');
      if (name !== 'api') expect(service.build, `${name} builds the image too`).toBeUndefined();
    }
    expect(compose.services.api!.build).toBeDefined();
  });

  it('restarts a failed container a few times, and does not bring the stack back when Docker starts', () => {
    for (const [name, service] of services) {
      if (name === 'sim' || oneShotServices.has(name)) expect(service.restart, name).toBe('no');
      else expect(service.restart, name).toMatch(/^on-failure:[1-5]$/);
    }
  });

  it("sends every shop service's traces to the Tempo of the stack", () => {
    const tempo = compose.services.tempo!;
    expect(tempo.image).toMatch(/^grafana\/tempo:2\.\d+\.\d+$/);
    expect(tempo.volumes).toContain('./tempo/tempo.yaml:/etc/tempo/tempo.yaml:ro,z');
    expect(tempo.command).toEqual(['-config.file=/etc/tempo/tempo.yaml']);
    const config = parse(read('tempo/tempo.yaml')) as {
      server: { http_listen_port: number };
      distributor: { receivers: { otlp: { protocols: { http: { endpoint: string } } } } };
    };
    expect(config.distributor.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    expect(tempo.expose).toEqual([String(config.server.http_listen_port), '4318']);
    for (const name of Object.keys(defaultPorts)) {
      expect(compose.services[name]!.environment?.OTEL_EXPORTER_OTLP_ENDPOINT, name).toBe(
        'http://tempo:4318',
      );
    }
    expect(tempo.healthcheck?.test).toContain(`http://127.0.0.1:${config.server.http_listen_port}/ready`);
  });

  it('lets Prometheus keep exemplars', () => {
    expect(compose.services.prometheus!.command).toContain('--enable-feature=exemplar-storage');
  });

  it('points every Grafana data source at a service and port of the stack', () => {
    const provisioned = parse(read('grafana/provisioning/datasources/datasources.yaml')) as {
      datasources: { uid: string; url: string }[];
    };
    const addresses = stackAddresses();
    expect(provisioned.datasources.map((d) => d.uid)).toContain('tempo');
    for (const { uid, url } of provisioned.datasources) {
      const { hostname, port } = new URL(url.includes('://') ? url : `tcp://${url}`);
      expect(addresses, uid).toContain(`${hostname}:${port}`);
    }
  });

  it("starts Grafana through the entrypoint that writes .env's FRONTEND_PORT into the runbook links", () => {
    const grafana = compose.services.grafana!;
    // After docker/secret-files-env.sh, which runs what follows it.
    const [shell, script] = grafana.entrypoint?.slice(2) ?? [];
    expect(shell).toBe('/bin/sh');
    expect(grafana.volumes).toContain(`./grafana/docker-entrypoint.sh:${script}:ro,z`);
    expect(grafana.environment?.FRONTEND_PORT).toBe('${FRONTEND_PORT:-8081}');
  });

  it('lets anonymous visitors use Explore as read-only Viewers', () => {
    const env = compose.services.grafana!.environment!;
    expect(env.GF_AUTH_ANONYMOUS_ENABLED).toBe('true');
    expect(env.GF_AUTH_ANONYMOUS_ORG_ROLE).toBe('Viewer');
    expect(env.GF_USERS_VIEWERS_CAN_EDIT).toBe('true');
  });

  it('starts services after the PostgreSQL and Loki they use are healthy, and the one-shots have finished', () => {
    expect([...oneShotServices]).toEqual(['secrets']);
    for (const [name, service] of services) {
      const env = service.environment ?? {};
      const conditions = service.depends_on ?? {};
      for (const [dependency, { condition }] of Object.entries(conditions)) {
        expect(condition, `${name} → ${dependency}`).toBe(
          oneShotServices.has(dependency) ? 'service_completed_successfully' : 'service_healthy',
        );
      }
      const readsDatabase = 'DATABASE_URL' in env || 'DATABASE_URL_FILE' in env;
      if (readsDatabase || name === 'grafana') expect(conditions, name).toHaveProperty('postgres');
      if ('LOKI_URL' in env || name === 'grafana') expect(conditions, name).toHaveProperty('loki');
    }
  });

  it('documents in .env.example every variable it reads: secrets empty, the rest with their defaults', () => {
    const example = envExampleSettings();
    const used = variableReferences();
    expect(used.length).toBeGreaterThan(0);
    for (const { name, argument } of used) {
      expect(example.has(name), `${name} is missing from .env.example`).toBe(true);
      if (secretNames.includes(name)) {
        expect(example.get(name), `${name} must not have a value in .env.example`).toBe('');
        continue;
      }
      expect(example.get(name), `${name}: .env.example and docker-compose.yml disagree`).toBe(argument);
    }
  });

  it("starts with no .env: every ${VAR} has a default, and a secret's is empty, left to the secrets service", () => {
    const used = variableReferences();
    for (const { name, operator, argument } of used) {
      expect(operator, `\${${name}} has no default`).toBe(':-');
      if (secretNames.includes(name)) expect(argument, `\${${name}} has a default value`).toBe('');
    }
  });

  it("has no secret written in it: only the secrets service sees .env's, every other container reads files", () => {
    const secretsService = compose.services.secrets!;
    expect(
      Object.keys(secretsService.environment ?? {}).filter((name) => secretNames.includes(name)),
    ).toEqual(secretNames);
    for (const name of secretNames) expect(secretsService.environment?.[name]).toBe(`\${${name}:-}`);
    expect(secretsService.volumes).toContain('secrets:/run/shopfast-secrets');
    expect(secretsService.entrypoint).toEqual([
      '/bin/sh',
      '/usr/local/bin/stack-secrets.sh',
      '/run/shopfast-secrets',
    ]);
    const readers = services.filter(([name]) => name !== 'secrets');
    const fileVariables = readers.flatMap(([name, service]) =>
      Object.entries(service.environment ?? {})
        .filter(([variable]) => variable.endsWith('_FILE'))
        .map(([variable, path]) => ({ name, service, variable, path: String(path) })),
    );
    expect(new Set(fileVariables.map(({ name }) => name))).toEqual(
      new Set(['postgres', 'api', 'frontend', 'payment', 'inventory', 'grafana', 'sim']),
    );
    for (const { name, service, variable, path } of fileVariables) {
      expect(secretFiles, `${name}: ${variable}`).toContain(path);
      expect(service.volumes, name).toContain(secretsMount);
      expect(service.depends_on?.secrets?.condition, name).toBe('service_completed_successfully');
      const ownEntrypoint = Object.keys(defaultPorts).includes(name);
      // The services read <NAME>_FILE themselves (services/kit/settings.ts); Grafana its GF_…__FILE;
      // the rest through docker/secret-files-env.sh, run before their own entrypoint.
      if (!ownEntrypoint && !variable.endsWith('__FILE')) {
        expect(service.entrypoint?.slice(0, 2), name).toEqual([
          '/bin/sh',
          '/usr/local/bin/secret-files-env.sh',
        ]);
        expect(service.volumes, name).toContain(
          './docker/secret-files-env.sh:/usr/local/bin/secret-files-env.sh:ro,z',
        );
      }
    }
    for (const [name, service] of readers) {
      for (const variable of Object.keys(service.environment ?? {})) {
        expect(
          secretNames.includes(variable) || variable === 'DATABASE_URL',
          `${name} sets ${variable}`,
        ).toBe(false);
      }
    }
  });

  // Compose itself, where its CLI is installed (no engine needed for `config`).
  it.skipIf(!hasDockerCompose)('renders with no .env and none of the secrets set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-no-env-'));
    try {
      copyFileSync(join(root, 'docker-compose.yml'), join(dir, 'docker-compose.yml'));
      const secretless = Object.fromEntries(
        Object.entries(process.env).filter(([name]) => !secretNames.includes(name)),
      );
      const result = spawnSync('docker', ['compose', 'config', '--quiet'], {
        cwd: dir,
        env: secretless,
        encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps start-demo.sh's one-shot services in step with the file (it waits for them to exit 0)", () => {
    const listed = /^ONE_SHOT_SERVICES=" ([^"]*) "$/m.exec(read('start-demo.sh'))![1]!.split(' ');
    expect(listed).toEqual([...oneShotServices]);
  });

  it('keeps the ports start-demo.sh checks in step with the file', () => {
    const settings = [...read('start-demo.sh').matchAll(/^\s+(\w+_PORT):(\d+):(\w+)$/gm)].map((m) => ({
      variable: m[1]!,
      port: Number(m[2]),
      name: m[3]!,
    }));
    const published = services.flatMap(([name, service]) =>
      (service.ports ?? []).map((s) => ({ name, ...parsePort(s) })),
    );
    expect(settings.map((s) => `${s.name} ${s.variable} ${s.port}`).sort()).toEqual(
      published.map((p) => `${p.name} ${p.variable} ${p.host}`).sort(),
    );
  });

  it.skipIf(!existsSync(join(root, 'prometheus/prometheus.yml')))(
    'lets Prometheus scrape every shop service by its compose name and port',
    () => {
      const config = parse(read('prometheus/prometheus.yml')) as {
        scrape_configs: { static_configs?: { targets: string[] }[] }[];
      };
      const targets = config.scrape_configs.flatMap((job) =>
        (job.static_configs ?? []).flatMap((s) => s.targets),
      );
      for (const [name, port] of Object.entries(defaultPorts)) expect(targets).toContain(`${name}:${port}`);
      // Any other target is Prometheus itself or another compose service.
      const reachable = ['localhost', ...Object.keys(compose.services)];
      for (const target of targets) expect(reachable).toContain(target.split(':')[0]);
    },
  );
});

describe('the services image (Dockerfile)', () => {
  const dockerfile = read('Dockerfile');
  const runtimeStage = dockerfile.slice(dockerfile.indexOf('AS runtime'));

  it('carries every document the frontend serves under /docs', () => {
    const copied = [...runtimeStage.matchAll(/^COPY (?!--)(.+) \.\/$/gm)].flatMap((m) => m[1]!.split(' '));
    expect(copied).toEqual(expect.arrayContaining([...publishedDocs]));
  });

  it('copies in the healthcheck it runs (/app/docker/healthcheck.sh: test/dist-smoke.test.ts)', () => {
    expect(runtimeStage).toMatch(/^WORKDIR \/app$/m);
    expect(runtimeStage).toMatch(/^COPY docker\/healthcheck\.sh \.\/docker\/healthcheck\.sh$/m);
  });
});

describe('docker/healthcheck.sh', () => {
  let server: Server;
  let port: number;
  let readyStatus = 200;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = JSON.stringify({
        status: readyStatus === 200 ? 'ready' : 'not_ready',
        checks: { postgres: 'password authentication failed' },
      });
      res.writeHead(req.url === '/ready' ? readyStatus : 404, { 'content-type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Runs the probe as Docker would, with the container's environment; never throws. */
  function probe(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn('bash', [join(root, 'docker/healthcheck.sh')], {
        env: { PATH: process.env.PATH, ...env },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', (code) => resolve({ code, output }));
    });
  }

  it('is healthy when /ready answers 200', async () => {
    readyStatus = 200;
    expect((await probe({ PORT: String(port) })).code).toBe(0);
  });

  it('is unhealthy when /ready answers 503, and prints the answer naming the dependency', async () => {
    readyStatus = 503;
    const { code, output } = await probe({ PORT: String(port) });
    expect(code).toBe(1);
    expect(output).toContain('GET /ready answered 503');
    expect(output).toContain('password authentication failed');
  });

  it('is unhealthy when nothing listens, or when SERVICE is unknown and PORT unset', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probeServer = createServer().listen(0, '127.0.0.1', () => {
        const free = (probeServer.address() as AddressInfo).port;
        probeServer.close(() => resolve(free));
      });
    });
    expect((await probe({ PORT: String(closed) })).code).toBe(1);
    const unknown = await probe({ SERVICE: 'shipping' });
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain(
      "SERVICE must be one of: api, frontend, payment, inventory (got 'shipping')",
    );
  });
});
