// The Kubernetes stack, checked offline: `kubectl kustomize` renders the base (the repository's
// root kustomization) and a 3-attendee overlay written by `npm run workshop`; every object is
// validated against the Kubernetes schemas (kubernetes-models), then checked against the project's
// rules and against docker-compose.yml, which it must agree with. No cluster needed.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parseEnv, promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { alertCatalog } from '../domain/alerts.ts';
import { defaultPorts } from '../domain/services.ts';
import { repoRoot } from '../scripts/native/paths.ts';
import { stackDeployments } from '../scripts/workshop/readiness.ts';
import { simulatorEnv } from '../scripts/workshop/sim-job.ts';
import {
  describeObject,
  kustomize,
  tempDir,
  testDomain,
  testImage,
  validateObject,
  writeOverlay,
  type K8sObject,
} from './kubernetes-render.ts';

const run = promisify(execFile);

// ---- shapes of what is read (only the fields the checks use) ----
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
  tcpSocket?: unknown;
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface Volume {
  name: string;
  configMap?: { name: string; items?: { key: string; path: string }[] };
  projected?: { sources: { configMap?: { name: string; items?: { key: string; path: string }[] } }[] };
}
interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  volumes?: Volume[];
}
interface DeploymentObject extends K8sObject {
  spec: { template: { spec: PodSpec } };
}
interface ConfigMapObject extends K8sObject {
  data?: Record<string, string>;
}
interface SecretObject extends K8sObject {
  data?: Record<string, string>;
}
interface IngressObject extends K8sObject {
  spec: {
    rules: {
      host: string;
      http: {
        paths: {
          path: string;
          pathType: string;
          backend: { service: { name: string; port: { number: number } } };
        }[];
      };
    }[];
  };
}
interface ComposeService {
  image?: string;
  mem_limit?: string;
  environment?: Record<string, string | number>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  profiles?: string[];
  command?: string[];
}

// ---- the renders, made once ----
let base: K8sObject[];
let overlay: K8sObject[];
let overlayDir: string;
let removeTemp: () => Promise<void>;
const attendeeCount = 3;
const namespaces = ['attendee-01', 'attendee-02', 'attendee-03'];

beforeAll(async () => {
  const temp = await tempDir('shopfast-k8s-');
  removeTemp = temp.remove;
  overlayDir = await writeOverlay(temp.dir, attendeeCount);
  [base, overlay] = await Promise.all([kustomize(repoRoot), kustomize(overlayDir)]);
}, 120_000);

afterAll(async () => {
  await removeTemp?.();
});

const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

const ofKind = <T extends K8sObject>(objects: K8sObject[], kind: string): T[] =>
  objects.filter((object) => object.kind === kind) as T[];
const deployments = (objects: K8sObject[]) => ofKind<DeploymentObject>(objects, 'Deployment');
const inNamespace = (objects: K8sObject[], namespace: string) =>
  objects.filter((object) => object.metadata.namespace === namespace || object.metadata.name === namespace);
const byName = <T extends K8sObject>(objects: T[], name: string): T => {
  const found = objects.find((object) => object.metadata.name === name);
  if (!found) throw new Error(`no object named ${name}`);
  return found;
};
const containersOf = (deployment: DeploymentObject) => deployment.spec.template.spec.containers;

/** The variables whose values are secrets: by compose's names, and what Grafana reads them as. */
const secretVariables = [
  'ADMIN_TOKEN',
  'ALERT_WEBHOOK_SECRET',
  'POSTGRES_PASSWORD',
  'GRAFANA_PASSWORD',
  'GF_SECURITY_ADMIN_PASSWORD',
  'DATABASE_URL',
  'SLACK_WEBHOOK_URL',
];

/** Variables the cluster needs and compose does not, each for a stated reason (in the manifests). */
const kubernetesOnlyVariables: Record<string, string[]> = {
  postgres: ['PGDATA'], // a subdirectory of the volume, which may not be empty at its top
  grafana: ['GF_SERVER_SERVE_FROM_SUB_PATH'], // Grafana under /grafana/ on the attendee's host
};

/**
 * What only compose has: the entrypoint that writes .env's FRONTEND_PORT into the runbook links.
 * On the cluster the links take the shop from Grafana's own address (grafana/src/runbook.ts).
 */
const composeOnlyVariables: Record<string, string[]> = { grafana: ['FRONTEND_PORT'] };
/**
 * How secrets arrive differs: compose's one-shot `secrets` service writes them as files, read through
 * <NAME>_FILE (GF_…__FILE for Grafana's own) and, where a program reads only variables,
 * docker/secret-files-env.sh; on the cluster the overlay's Secret gives them as the variables themselves.
 */
const composeOnlyParts = ['secrets'];
const secretFilesEnv = '/usr/local/bin/secret-files-env.sh';
const composeOnlyMounts: Record<string, string[]> = {
  grafana: ['/usr/local/bin/shopfast-entrypoint.sh', secretFilesEnv],
  postgres: [secretFilesEnv],
  sim: [secretFilesEnv],
  secrets: ['/usr/local/bin/stack-secrets.sh'],
};
/** A compose variable naming a file of the secrets volume → the variable the cluster sets instead. */
const clusterName = (variable: string, value: unknown) =>
  String(value).startsWith('/run/shopfast-secrets/') ? variable.replace(/_?_FILE$/, '') : variable;

describe('kubectl kustomize', () => {
  it('renders one stack from the base and one per attendee from the overlay', () => {
    expect(
      deployments(base)
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual([...stackDeployments].sort());
    for (const namespace of namespaces) {
      expect(deployments(inNamespace(overlay, namespace))).toHaveLength(stackDeployments.length);
    }
    expect(ofKind(overlay, 'Namespace').map((n) => n.metadata.name)).toEqual(namespaces);
    expect(ofKind(overlay, 'Ingress')).toHaveLength(attendeeCount);
    expect(ofKind(overlay, 'Secret')).toHaveLength(attendeeCount);
    expect(ofKind(base, 'Secret')).toHaveLength(0);
  });

  it('puts every object of the overlay in an attendee namespace', () => {
    for (const object of overlay.filter((o) => o.kind !== 'Namespace')) {
      expect(namespaces, describeObject(object)).toContain(object.metadata.namespace);
    }
  });

  it('renders only objects that validate against the Kubernetes schemas', () => {
    for (const object of [...base, ...overlay]) {
      expect(() => validateObject(object), describeObject(object)).not.toThrow();
    }
  });

  it('has a schema check that rejects a broken object', () => {
    const broken = structuredClone(byName(deployments(base), 'api'));
    (containersOf(broken)[0]!.ports![0] as { containerPort: unknown }).containerPort = 'eighty';
    expect(() => validateObject(broken)).toThrow(/containerPort/);
  });
});

describe('every container', () => {
  const allContainers = () =>
    deployments([...base, ...overlay]).flatMap((d) => containersOf(d).map((c) => ({ d, c })));

  it('has readiness and liveness probes, the services on their /ready and /health', () => {
    for (const { d, c } of allContainers()) {
      const where = `${describeObject(d)} ${c.name}`;
      expect(c.readinessProbe, where).toBeDefined();
      expect(c.livenessProbe, where).toBeDefined();
      if (c.name in defaultPorts) {
        expect(c.readinessProbe?.httpGet?.path, where).toBe('/ready');
        expect(c.livenessProbe?.httpGet?.path, where).toBe('/health');
      }
    }
  });

  it('has CPU and memory requests and limits, requests within limits', () => {
    for (const { d, c } of allContainers()) {
      const where = `${describeObject(d)} ${c.name}`;
      for (const resource of ['cpu', 'memory']) {
        expect(c.resources?.requests?.[resource], where).toBeDefined();
        expect(c.resources?.limits?.[resource], where).toBeDefined();
      }
      expect(cpuCores(c.resources!.requests!.cpu!)).toBeLessThanOrEqual(cpuCores(c.resources!.limits!.cpu!));
      expect(mebibytes(c.resources!.requests!.memory!)).toBeLessThanOrEqual(
        mebibytes(c.resources!.limits!.memory!),
      );
    }
  });

  it('runs a pinned image', () => {
    for (const { d, c } of allContainers()) {
      expect(c.image, describeObject(d)).toMatch(/(:[\w][\w.-]*|@sha256:[a-f0-9]{64})$/);
      expect(c.image, describeObject(d)).not.toMatch(/:latest$/);
    }
  });

  it('runs as a non-root user, without privilege escalation or capabilities', () => {
    for (const { d, c } of allContainers()) {
      const pod = d.spec.template.spec.securityContext;
      expect(pod?.runAsNonRoot, describeObject(d)).toBe(true);
      expect(pod?.runAsUser, describeObject(d)).toBeGreaterThan(0);
      expect(c.securityContext?.allowPrivilegeEscalation, describeObject(d)).toBe(false);
      expect(c.securityContext?.capabilities?.drop, describeObject(d)).toEqual(['ALL']);
    }
  });

  it('reads every secret from the Secret, never from a literal value', () => {
    for (const { d, c } of allContainers()) {
      for (const variable of c.env ?? []) {
        if (!secretVariables.includes(variable.name)) continue;
        expect(variable.value, `${describeObject(d)} ${variable.name}`).toBeUndefined();
        expect(variable.valueFrom?.secretKeyRef?.name, `${describeObject(d)} ${variable.name}`).toBe(
          'shopfast-secrets',
        );
      }
    }
  });
});

describe('secrets', () => {
  const secretsOf = (namespace: string): Record<string, string> => {
    const secret = ofKind<SecretObject>(inNamespace(overlay, namespace), 'Secret')[0]!;
    return Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString('utf8'),
      ]),
    );
  };

  it('come from the generated secrets.env of each attendee, with every key the stack needs', async () => {
    const required = (v: EnvVar) =>
      v.valueFrom?.secretKeyRef?.optional ? [] : (v.valueFrom?.secretKeyRef?.key ?? []);
    const referenced = new Set(
      deployments(base).flatMap((d) => containersOf(d).flatMap((c) => (c.env ?? []).flatMap(required))),
    );
    for (const namespace of namespaces) {
      const fromFile = parseEnv(await readFile(join(overlayDir, namespace, 'secrets.env'), 'utf8'));
      expect(secretsOf(namespace)).toEqual(fromFile);
      for (const key of referenced) expect(Object.keys(fromFile), namespace).toContain(key);
    }
  });

  it('are random, long, and different for every attendee and every key', () => {
    const values = namespaces.flatMap((namespace) =>
      Object.entries(secretsOf(namespace))
        .filter(([key]) => key !== 'DATABASE_URL')
        .map(([, value]) => value),
    );
    expect(values).toHaveLength(attendeeCount * 5);
    expect(new Set(values).size).toBe(values.length);
    for (const value of values) expect(value).toMatch(/^[a-f0-9]{16,}$/);
    for (const namespace of namespaces) {
      const secrets = secretsOf(namespace);
      expect(secrets.DATABASE_URL).toBe(
        `postgres://shopfast:${secrets.POSTGRES_PASSWORD}@postgres:5432/shopfast`,
      );
    }
  });

  it('appear in no object but the Secret', () => {
    for (const namespace of namespaces) {
      const values = Object.values(secretsOf(namespace));
      for (const object of overlay.filter((o) => o.kind !== 'Secret')) {
        const text = stringify(object);
        for (const value of values) expect(text.includes(value), describeObject(object)).toBe(false);
      }
    }
  });
});

describe('configuration', () => {
  it('mounts byte for byte the files docker-compose.yml mounts, at the same paths', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const fromCompose = composeMountedFiles(service);
      for (const path of composeOnlyMounts[name] ?? []) fromCompose.delete(path);
      if (fromCompose.size === 0) continue;
      const fromKubernetes = kubernetesMountedFiles(byName(deployments(base), name), base);
      expect([...fromKubernetes.keys()].sort(), name).toEqual([...fromCompose.keys()].sort());
      for (const [path, content] of fromCompose)
        expect(fromKubernetes.get(path), `${name} ${path}`).toBe(content);
    }
  });

  it('is the same in every attendee namespace as in the base', () => {
    const configMapData = (objects: K8sObject[]) =>
      Object.fromEntries(ofKind<ConfigMapObject>(objects, 'ConfigMap').map((c) => [c.metadata.name, c.data]));
    for (const namespace of namespaces) {
      expect(configMapData(inNamespace(overlay, namespace))).toEqual(configMapData(base));
    }
  });
});

describe('docker-compose.yml and the Kubernetes base', () => {
  const composeServices = Object.entries(compose.services).filter(
    ([name, service]) => !service.profiles && !composeOnlyParts.includes(name),
  );

  it('run the same parts with the same images', () => {
    expect(composeServices.map(([name]) => name).sort()).toEqual([...stackDeployments].sort());
    for (const [name, service] of composeServices) {
      expect(
        containersOf(byName(deployments(base), name)).map((c) => c.image),
        name,
      ).toEqual([service.image]);
    }
  });

  it('give each part the same environment variable names', () => {
    for (const [name, service] of composeServices) {
      const kubernetesNames = (containersOf(byName(deployments(base), name))[0]!.env ?? []).map(
        (v) => v.name,
      );
      const expected = [
        ...Object.entries(service.environment ?? {})
          .filter(([v]) => !composeOnlyVariables[name]?.includes(v))
          .map(([v, value]) => clusterName(v, value)),
        ...(kubernetesOnlyVariables[name] ?? []),
      ];
      expect(kubernetesNames.sort(), name).toEqual(expected.sort());
    }
    const sim = compose.services.sim!;
    expect(
      simulatorEnv()
        .map((v) => v.name)
        .sort(),
    ).toEqual(
      Object.entries(sim.environment ?? {})
        .map(([v, value]) => clusterName(v, value))
        .sort(),
    );
  });

  it('listen on the same ports, behind Services of the same names', () => {
    for (const [name, service] of composeServices) {
      // Published on the host, or only exposed to the rest of the stack (Tempo).
      const composePorts = [
        ...(service.ports ?? []).map((spec) => Number(spec.split(':').at(-1))),
        ...(service.expose ?? []).map(Number),
      ];
      const containerPorts = containersOf(byName(deployments(base), name))[0]!.ports!.map(
        (p) => p.containerPort,
      );
      const servicePorts = (
        byName(ofKind(base, 'Service'), name).spec as { ports: { port: number }[] }
      ).ports.map((p) => p.port);
      expect(containerPorts, name).toEqual(composePorts);
      expect(servicePorts, name).toEqual(composePorts);
    }
  });

  it('give each variable the value compose gives it, where compose gives a fixed one', () => {
    // e.g. OTEL_EXPORTER_OTLP_ENDPOINT=http://tempo:4318, GOMEMLIMIT, GF_USERS_VIEWERS_CAN_EDIT;
    // values compose takes from .env (${...}) come from the Secret or the overlay on the cluster.
    let compared = 0;
    for (const [name, service] of composeServices) {
      const env = containersOf(byName(deployments(base), name))[0]!.env ?? [];
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (String(value).includes('${') || clusterName(variable, value) !== variable) continue;
        expect(env.find((v) => v.name === variable)?.value, `${name} ${variable}`).toBe(String(value));
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(30);
  });

  it('run each part with the command-line arguments compose gives it', () => {
    for (const [name, service] of composeServices) {
      if (!service.command) continue;
      expect(containersOf(byName(deployments(base), name))[0]!.args, name).toEqual(service.command);
    }
    expect(containersOf(byName(deployments(base), 'prometheus'))[0]!.args).toContain(
      '--enable-feature=exemplar-storage',
    );
    expect(containersOf(byName(deployments(base), 'tempo'))[0]!.args).toEqual(
      compose.services.tempo!.command,
    );
  });

  it('give each part the memory limit compose gives it', () => {
    for (const [name, service] of composeServices) {
      const container = containersOf(byName(deployments(base), name))[0]!;
      expect(mebibytes(container.resources!.limits!.memory!), name).toBe(mebibytes(service.mem_limit!));
    }
  });
});

describe('the workshop overlay', () => {
  it("routes each attendee's hosts to their shop, Grafana, services and Prometheus", () => {
    for (const namespace of namespaces) {
      const ingress = ofKind<IngressObject>(inNamespace(overlay, namespace), 'Ingress')[0]!;
      const routes = ingress.spec.rules.flatMap((rule) =>
        rule.http.paths.map(
          (path) =>
            `${rule.host}${path.path} -> ${path.backend.service.name}:${path.backend.service.port.number}`,
        ),
      );
      expect(routes.sort()).toEqual(
        [
          `${namespace}.${testDomain}/ -> frontend:8081`,
          `${namespace}.${testDomain}/grafana -> grafana:3000`,
          `${namespace}-api.${testDomain}/ -> api:8080`,
          `${namespace}-payment.${testDomain}/ -> payment:8082`,
          `${namespace}-inventory.${testDomain}/ -> inventory:8083`,
          `${namespace}-prometheus.${testDomain}/ -> prometheus:9090`,
        ].sort(),
      );
    }
  });

  it('runs the pushed image for the four services', () => {
    for (const namespace of namespaces) {
      for (const name of Object.keys(defaultPorts)) {
        const deployment = byName(deployments(inNamespace(overlay, namespace)), name);
        expect(containersOf(deployment)[0]!.image).toBe(testImage);
      }
    }
  });

  it("tells each Grafana its address on the attendee's host", () => {
    for (const namespace of namespaces) {
      expect(grafanaRootUrl(inNamespace(overlay, namespace))).toBe(
        `http://${namespace}.${testDomain}/grafana/`,
      );
    }
  });
});

describe('runbook links, expanded by the Go template engine Grafana uses (through promtool)', () => {
  const runbookTemplates = (objects: K8sObject[]): Map<string, string> => {
    const alerting = ofKind<ConfigMapObject>(objects, 'ConfigMap').find((c) => c.data?.['rules.yaml'])!;
    const rules = parse(alerting.data!['rules.yaml']!) as {
      groups: { rules: { uid: string; annotations: { runbook_url: string } }[] }[];
    };
    return new Map(rules.groups.flatMap((g) => g.rules.map((r) => [r.uid, r.annotations.runbook_url])));
  };

  it("open the attendee's own shop from their Grafana", async () => {
    const objects = inNamespace(overlay, 'attendee-02');
    const rootUrl = grafanaRootUrl(objects);
    for (const [uid, template] of runbookTemplates(objects)) {
      const expected = `http://attendee-02.${testDomain}/docs/TROUBLESHOOTING.md#${uid}`;
      expect(await expandsTo(template, rootUrl, expected), uid).toBe(true);
    }
    expect(runbookTemplates(objects).size).toBe(alertCatalog.length);
  });

  it("open the shop on localhost:8081 from the compose Grafana (and the native runner's default port)", async () => {
    const composeRootUrl = String(compose.services.grafana!.environment!.GF_SERVER_ROOT_URL).replace(
      /\$\{\w+:-(\d+)\}/,
      '$1',
    );
    const frontendPort = defaultPorts.frontend;
    expect(compose.services.frontend!.ports![0]).toContain(`:-${frontendPort}}`);
    for (const [uid, template] of runbookTemplates(base)) {
      const expected = `http://localhost:${frontendPort}/docs/TROUBLESHOOTING.md#${uid}`;
      expect(await expandsTo(template, composeRootUrl, expected), uid).toBe(true);
    }
  });

  it('are checked by a comparison that can fail', async () => {
    const [uid, template] = [...runbookTemplates(base)][0]!;
    expect(
      await expandsTo(template, 'http://localhost:3000/', `http://elsewhere/docs/TROUBLESHOOTING.md#${uid}`),
    ).toBe(false);
  });
});

// ---- helpers ----

function grafanaRootUrl(objects: K8sObject[]): string {
  const env = containersOf(byName(deployments(objects), 'grafana'))[0]!.env!;
  return env.find((v) => v.name === 'GF_SERVER_ROOT_URL')!.value!;
}

/**
 * Whether Grafana's annotation template, given Grafana's root_url, expands to `expected`. Grafana
 * expands annotations with Prometheus's template engine (pkg/services/ngalert/state/template), so
 * promtool's rule tests run the same code. promtool 2.42 cannot set the external URL, so the
 * template's `externalURL` call is replaced by the string Grafana would give it: root_url with a
 * trailing slash (Grafana adds one, pkg/setting).
 */
async function expandsTo(template: string, rootUrl: string, expected: string): Promise<boolean> {
  const externalUrl = rootUrl.endsWith('/') ? rootUrl : `${rootUrl}/`;
  const withUrl = template.replace(/\bexternalURL\b/g, JSON.stringify(externalUrl));
  const { dir, remove } = await tempDir('runbook-template-');
  try {
    const rules = {
      groups: [
        {
          name: 'runbook',
          rules: [{ alert: 'runbook', expr: 'vector(1)', annotations: { runbook_url: withUrl } }],
        },
      ],
    };
    const tests = {
      rule_files: ['rules.yml'],
      tests: [
        {
          interval: '1m',
          input_series: [],
          alert_rule_test: [
            {
              eval_time: '1m',
              alertname: 'runbook',
              exp_alerts: [{ exp_labels: {}, exp_annotations: { runbook_url: expected } }],
            },
          ],
        },
      ],
    };
    await writeFile(join(dir, 'rules.yml'), stringify(rules));
    await writeFile(join(dir, 'tests.yml'), stringify(tests));
    try {
      await run('promtool', ['test', 'rules', 'tests.yml'], { cwd: dir });
      return true;
    } catch (error) {
      const output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
      if (!output.includes('FAILED')) throw new Error(`promtool did not run the test: ${output}`);
      return false;
    }
  } finally {
    await remove();
  }
}

/** Container path → content of every repository file compose bind-mounts into the service. */
function composeMountedFiles(service: ComposeService): Map<string, string> {
  const files = new Map<string, string>();
  for (const spec of service.volumes ?? []) {
    const [host, container] = spec.split(':');
    if (!host?.startsWith('./') || !container) continue;
    const hostPath = join(repoRoot, host);
    const walk = (path: string, target: string): void => {
      if (statSync(path).isDirectory()) {
        for (const entry of readdirSync(path)) walk(join(path, entry), posix.join(target, entry));
      } else files.set(target, readFileSync(path, 'utf8'));
    };
    walk(hostPath, container);
  }
  return files;
}

/** Container path → content of every ConfigMap file the Deployment's container sees. */
function kubernetesMountedFiles(deployment: DeploymentObject, objects: K8sObject[]): Map<string, string> {
  const configMaps = ofKind<ConfigMapObject>(objects, 'ConfigMap');
  const files = new Map<string, string>();
  const pod = deployment.spec.template.spec;
  for (const mount of pod.containers[0]!.volumeMounts ?? []) {
    const volume = pod.volumes?.find((v) => v.name === mount.name);
    const sources = volume?.configMap
      ? [volume.configMap]
      : (volume?.projected?.sources ?? []).flatMap((s) => s.configMap ?? []);
    for (const source of sources) {
      const data = byName(configMaps, source.name).data ?? {};
      const items = source.items ?? Object.keys(data).map((key) => ({ key, path: key }));
      for (const item of items) files.set(posix.join(mount.mountPath, item.path), data[item.key]!);
    }
  }
  return files;
}

function cpuCores(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi|m|g)$/.exec(quantity);
  if (!match) throw new Error(`memory quantity ${quantity} is not <n>Mi, <n>Gi, <n>m or <n>g`);
  return Number(match[1]) * (match[2]!.toLowerCase().startsWith('g') ? 1024 : 1);
}
