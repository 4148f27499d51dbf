// The trainer's commands: `npm run workshop` refuses bad input and writes nothing, writes the
// roster; `npm run workshop:ready` reads the overlay and kubectl's answer; `npm run workshop:sim`
// prints a valid Job. kubectl is replaced by a script that records its arguments (no cluster here).
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../scripts/native/paths.ts';
import { kubectlGetDeploymentsArgs, readinessOf, stackDeployments } from '../scripts/workshop/readiness.ts';
import {
  kustomize,
  parseYamlObjects,
  runWorkshopScript,
  tempDir,
  testDomain,
  testImage,
  validateObject,
  workshopArgs,
  writeOverlay,
  type K8sObject,
} from './kubernetes-render.ts';

const run = promisify(execFile);

// Most tests run the workshop scripts as processes (tsx, kubectl's kustomize), several per test, at
// the unit files' low priority: beside the rest of the suite on 2 cores one took over 30 s.
vi.setConfig({ testTimeout: 120_000 });

let temp: { dir: string; remove: () => Promise<void> };
beforeEach(async () => {
  temp = await tempDir('shopfast-workshop-');
});
afterEach(async () => {
  await temp.remove();
});

const goodArgs = (out: string) => workshopArgs(3, out);

/** goodArgs with one option's value replaced, or the option left out when `value` is undefined. */
function argsWith(out: string, option: string, value: string | undefined): string[] {
  const args = goodArgs(out);
  const at = args.indexOf(option);
  if (value === undefined) args.splice(at, 2);
  else args[at + 1] = value;
  return args;
}

describe('npm run workshop', () => {
  const refusals: [string, string, string | undefined, RegExp][] = [
    ['zero attendees', '--attendees', '0', /whole number of attendees from 1 to 200/],
    ['a thousand attendees', '--attendees', '1000', /whole number of attendees from 1 to 200/],
    ['a fraction of an attendee', '--attendees', '2.5', /whole number of attendees/],
    ['a domain with a space', '--domain', 'work shop.example.org', /a DNS domain/],
    ['a domain of one label', '--domain', 'localhost', /at least two labels/],
    ['a domain with an underscore', '--domain', 'work_shop.example.org', /a DNS domain/],
    ['a missing image', '--image', undefined, /required option '--image <image>' not specified/],
    ['an image without a tag', '--image', 'registry.example.org/shopfast-service', /with a tag or digest/],
    ['an image at latest', '--image', 'registry.example.org/shopfast-service:latest', /pin the image/],
    ['a missing domain', '--domain', undefined, /required option '--domain <domain>' not specified/],
  ];

  for (const [what, option, value, message] of refusals) {
    it(`refuses ${what} with a clear message and writes nothing`, async () => {
      const out = join(temp.dir, 'workshop');
      const result = await runWorkshopScript('cli.ts', argsWith(out, option, value));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('refuses a folder inside the repository (kustomize would see a cycle) and writes nothing', async () => {
    const out = join(repoRoot, 'workshop-test-out');
    const result = await runWorkshopScript('cli.ts', goodArgs(out));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/inside the repository/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a folder that is not empty and leaves it as it was', async () => {
    await writeFile(join(temp.dir, 'notes.txt'), 'mine');
    const result = await runWorkshopScript('cli.ts', goodArgs(temp.dir));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not empty/);
    expect(await readdir(temp.dir)).toEqual(['notes.txt']);
  });

  it('writes a roster in Markdown and CSV with every attendee, URL and password', async () => {
    const out = await writeOverlay(temp.dir, 3);
    const csv = (await readFile(join(out, 'roster.csv'), 'utf8')).trim().split('\n');
    const [header, ...rows] = csv.map((line) => line.split(','));
    expect(header).toEqual([
      'attendee',
      'shop',
      'grafana',
      'grafana_user',
      'grafana_password',
      'admin_token',
      'api',
      'payment',
      'inventory',
      'prometheus',
    ]);
    expect(rows).toHaveLength(3);
    const markdown = await readFile(join(out, 'roster.md'), 'utf8');
    for (const row of rows) {
      expect(row).toHaveLength(header!.length);
      const [namespace, shop, grafana, , password, token] = row;
      expect(shop).toBe(`http://${namespace}.${testDomain}/`);
      expect(grafana).toBe(`http://${namespace}.${testDomain}/grafana/`);
      const secrets = await readFile(join(out, namespace!, 'secrets.env'), 'utf8');
      expect(secrets).toContain(`GRAFANA_PASSWORD=${password}\n`);
      expect(secrets).toContain(`ADMIN_TOKEN=${token}\n`);
      expect(markdown).toContain(
        `| ${namespace} | ${shop} | ${grafana} | admin / \`${password}\` | \`${token}\` |`,
      );
    }
  });

  it('keeps the secrets and the roster readable by the trainer only', async () => {
    const out = await writeOverlay(temp.dir, 1);
    for (const path of ['roster.md', 'roster.csv', 'attendee-01/secrets.env']) {
      expect(((await stat(join(out, path))).mode & 0o777).toString(8), path).toBe('600');
    }
  });
});

/** A stand-in kubectl: records its arguments, prints the given answer. */
async function fakeKubectl(answer: string): Promise<{ path: string; argsFile: string }> {
  const path = join(temp.dir, 'kubectl');
  const argsFile = join(temp.dir, 'kubectl-args.json');
  const answerFile = join(temp.dir, 'kubectl-answer.json');
  await writeFile(answerFile, answer);
  await writeFile(
    path,
    `#!/usr/bin/env node\nrequire('node:fs').writeFileSync(${JSON.stringify(argsFile)}, JSON.stringify(process.argv.slice(2)));\n` +
      `process.stdout.write(require('node:fs').readFileSync(${JSON.stringify(answerFile)}, 'utf8'));\n`,
  );
  await chmod(path, 0o755);
  return { path, argsFile };
}

/** What `kubectl get deployments -o json` answers for these rendered Deployments, with a status. */
function deploymentListAnswer(deployments: K8sObject[], readyReplicas: (d: K8sObject) => number): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: deployments.map((d) => ({
      ...d,
      metadata: { ...d.metadata, generation: 1 },
      status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: readyReplicas(d) },
    })),
  });
}

describe('npm run workshop:ready', () => {
  it('asks kubectl once for every ShopFast Deployment, as JSON', () => {
    expect(kubectlGetDeploymentsArgs()).toEqual([
      'get',
      'deployments',
      '--all-namespaces',
      '--selector',
      'app.kubernetes.io/part-of=shopfast',
      '--output',
      'json',
    ]);
    expect(kubectlGetDeploymentsArgs('workshop')).toEqual([
      '--context',
      'workshop',
      ...kubectlGetDeploymentsArgs(),
    ]);
  });

  it('reports each attendee ready or what it waits for, and exits 1 until all are ready', async () => {
    const out = await writeOverlay(temp.dir, 3);
    const rendered = (await kustomize(out)).filter((o) => o.kind === 'Deployment');
    // attendee-02's Grafana is still starting; attendee-03 has no Loki yet.
    const answer = deploymentListAnswer(
      rendered.filter((d) => !(d.metadata.namespace === 'attendee-03' && d.metadata.name === 'loki')),
      (d) => (d.metadata.namespace === 'attendee-02' && d.metadata.name === 'grafana' ? 0 : 1),
    );
    const kubectl = await fakeKubectl(answer);
    const result = await runWorkshopScript('ready-cli.ts', [
      '--dir',
      out,
      '--kubectl',
      kubectl.path,
      '--context',
      'room',
    ]);
    expect(JSON.parse(await readFile(kubectl.argsFile, 'utf8'))).toEqual(kubectlGetDeploymentsArgs('room'));
    expect(result.stdout).toMatch(/^attendee-01 {2}ready$/m);
    expect(result.stdout).toMatch(/^attendee-02 {2}not ready: grafana 0\/1$/m);
    expect(result.stdout).toMatch(/^attendee-03 {2}not ready: loki missing$/m);
    expect(result.stdout).toContain('1 of 3 stacks ready');
    expect(result.code).toBe(1);
  });

  it('exits 0 when every stack is ready', async () => {
    const out = await writeOverlay(temp.dir, 2);
    const rendered = (await kustomize(out)).filter((o) => o.kind === 'Deployment');
    const kubectl = await fakeKubectl(deploymentListAnswer(rendered, () => 1));
    const result = await runWorkshopScript('ready-cli.ts', ['--dir', out, '--kubectl', kubectl.path]);
    expect(result.stdout).toContain('2 of 2 stacks ready');
    expect(result.code).toBe(0);
  });

  it('counts a Deployment whose new version is still rolling out as not ready', () => {
    const answer = JSON.stringify({
      items: stackDeployments.map((name) => ({
        metadata: { name, namespace: 'attendee-01', generation: 2 },
        spec: { replicas: 1 },
        status: { observedGeneration: name === 'api' ? 1 : 2, readyReplicas: 1, updatedReplicas: 1 },
      })),
    });
    expect(readinessOf(answer, ['attendee-01'])).toEqual([
      { namespace: 'attendee-01', ready: false, waitingFor: ['api 1/1'] },
    ]);
  });

  it('refuses a folder that is not an overlay, with a usage error', async () => {
    const result = await runWorkshopScript('ready-cli.ts', ['--dir', temp.dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /kustomization\.yaml does not exist: give the --out folder of npm run workshop/,
    );
  });

  it('refuses a missing --dir and a bad --wait', async () => {
    expect((await runWorkshopScript('ready-cli.ts', [])).stderr).toMatch(/required option '--dir <dir>'/);
    const badWait = await runWorkshopScript('ready-cli.ts', ['--dir', temp.dir, '--wait', 'soon']);
    expect(badWait.code).toBe(2);
    expect(badWait.stderr).toMatch(/whole seconds/);
  });

  it('says so when kubectl fails (exit 3)', async () => {
    const out = await writeOverlay(temp.dir, 1);
    const result = await runWorkshopScript('ready-cli.ts', [
      '--dir',
      out,
      '--kubectl',
      join(temp.dir, 'no-kubectl'),
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/kubectl failed/);
  });
});

describe('npm run workshop:sim', () => {
  it("prints a valid Job that runs the simulator's arguments in the namespace with the stack's secrets", async () => {
    const result = await runWorkshopScript('sim-job-cli.ts', [
      '--namespace',
      'attendee-07',
      '--image',
      testImage,
      'run',
      'payment-failures',
      '--until-firing',
    ]);
    expect(result.code).toBe(0);
    const [job] = parseYamlObjects(result.stdout) as (K8sObject & {
      spec: {
        template: {
          spec: {
            containers: {
              image: string;
              command: string[];
              args: string[];
              env: unknown[];
              resources: { limits: { memory: string } };
            }[];
          };
        };
      };
    })[];
    expect(() => validateObject(job!)).not.toThrow();
    expect(job!.metadata.namespace).toBe('attendee-07');
    const container = job!.spec.template.spec.containers[0]!;
    expect(container.image).toBe(testImage);
    expect(container.args).toEqual(['run', 'payment-failures', '--until-firing']);
    // The image's entrypoint starts a service; the Job runs the simulator as compose's `sim` does.
    const composeSim = (
      parse(await readFile(join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
        services: { sim: { entrypoint: string[]; mem_limit: string } };
      }
    ).services.sim;
    // After docker/secret-files-env.sh, which compose's secret files need and the cluster's Secret does not.
    expect(composeSim.entrypoint.slice(0, 2)).toEqual(['/bin/sh', '/usr/local/bin/secret-files-env.sh']);
    expect(container.command).toEqual(composeSim.entrypoint.slice(2));
    expect(container.resources.limits.memory).toBe(composeSim.mem_limit.replace(/m$/, 'Mi'));
    expect(container.env).toContainEqual({
      name: 'ADMIN_TOKEN',
      valueFrom: { secretKeyRef: { name: 'shopfast-secrets', key: 'ADMIN_TOKEN' } },
    });
  });

  it('refuses an unknown simulator command and a bad namespace', async () => {
    const unknown = await runWorkshopScript('sim-job-cli.ts', [
      '--namespace',
      'attendee-07',
      '--image',
      testImage,
      'explode',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/must be one of check, list, run, trigger, status, reset/);
    const badNamespace = await runWorkshopScript('sim-job-cli.ts', [
      '--namespace',
      'Attendee 7',
      '--image',
      testImage,
      'check',
    ]);
    expect(badNamespace.code).toBe(2);
    expect(badNamespace.stderr).toMatch(/a namespace name/);
  });
});

describe('scripts/ensure-test-deps.sh (run by .ci/run and before npm test)', () => {
  /** A PATH with every command of this one but kubectl, plus `kubectl` when a script is given. */
  async function pathWithout(kubectlScript?: string): Promise<string> {
    const bin = join(temp.dir, 'bin');
    await mkdir(bin);
    for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
      for (const entry of await readdir(dir).catch(() => [] as string[])) {
        if (entry === 'kubectl' || existsSync(join(bin, entry))) continue;
        await symlink(join(dir, entry), join(bin, entry));
      }
    }
    if (kubectlScript) {
      await writeFile(join(bin, 'kubectl'), kubectlScript);
      await chmod(join(bin, 'kubectl'), 0o755);
    }
    return bin;
  }

  async function ensureTestDeps(path: string): Promise<{ code: number; stderr: string }> {
    try {
      await run('bash', [join(repoRoot, 'scripts', 'ensure-test-deps.sh')], {
        env: { ...process.env, PATH: path },
      });
      return { code: 0, stderr: '' };
    } catch (error) {
      const failed = error as { code?: number; stderr?: string };
      return { code: failed.code ?? 1, stderr: failed.stderr ?? '' };
    }
  }

  it('stops with a clear message when kubectl is missing', async () => {
    const result = await ensureTestDeps(await pathWithout());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/kubectl 1\.27 or newer is needed \(found: none\)/);
  });

  it("stops with a clear message when kubectl is too old for the manifests' kustomize", async () => {
    const old = `#!/bin/sh\necho '{"clientVersion": {"major": "1", "minor": "20"}}'\n`;
    const result = await ensureTestDeps(await pathWithout(old));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/kubectl 1\.27 or newer is needed \(found: 1\.20\)/);
  });
});
