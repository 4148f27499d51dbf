// Helpers for the Kubernetes tests: render with kubectl kustomize (offline), write an overlay with
// the workshop command, validate objects against the Kubernetes schemas of kubernetes-models.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../scripts/native/paths.ts';

const run = promisify(execFile);

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; generateName?: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export async function kustomize(dir: string): Promise<K8sObject[]> {
  const { stdout } = await run('kubectl', ['kustomize', dir], { maxBuffer: 256 * 1024 * 1024 });
  return parseYamlObjects(stdout);
}

export function parseYamlObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

/** Runs a workshop script (scripts/workshop/<script>) with tsx; never throws on a non-zero exit. */
export async function runWorkshopScript(
  script: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'scripts', 'workshop', script), ...args],
      { cwd: repoRoot },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

export const testImage = 'registry.example.org/shopfast-service:0.1.0';
export const testDomain = 'workshop.example.org';

/** A fresh temp folder (outside the repository, as the workshop command wants) and its removal. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The arguments of `npm run workshop` for `attendees` attendees into `out`. */
export function workshopArgs(attendees: number, out: string): string[] {
  return ['--attendees', String(attendees), '--domain', testDomain, '--image', testImage, '--out', out];
}

/** Writes an overlay for `attendees` attendees into a new folder under `parent`. */
export async function writeOverlay(parent: string, attendees: number): Promise<string> {
  const out = join(parent, 'workshop');
  const result = await runWorkshopScript('cli.ts', workshopArgs(attendees, out));
  if (result.code !== 0) throw new Error(`npm run workshop failed: ${result.stderr}`);
  return out;
}

type Model = new (data: never) => { validate(): void };
const models: Record<string, Model> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
};

/** Throws when the object does not match its kind's schema, or is of a kind with no model here. */
export function validateObject(object: K8sObject): void {
  const Model = models[`${object.apiVersion}/${object.kind}`];
  if (!Model) throw new Error(`no schema model for ${object.apiVersion} ${object.kind}`);
  new Model(withUnwrappedBase64(object) as never).validate();
}

/**
 * kustomize wraps long base64 values of a Secret at 70 characters; the API server's decoder (Go's
 * encoding/base64) skips those newlines, the schema's "byte" format does not.
 */
function withUnwrappedBase64(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || typeof object.data !== 'object' || object.data === null) return object;
  const data = Object.entries(object.data as Record<string, string>).map(([key, value]) => [
    key,
    value.replace(/\n/g, ''),
  ]);
  return { ...object, data: Object.fromEntries(data) };
}

export function describeObject(object: K8sObject): string {
  return `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name ?? object.metadata.generateName}`;
}
