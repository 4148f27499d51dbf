// What a trainer asks for on the command line, checked before anything is written.
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { repoRoot } from '../native/paths.ts';

/** Enough for a large room; more would be a typo (and more namespaces than a small cluster holds). */
export const maxAttendees = 200;

/** The pushed ShopFast image, split the way kustomize's `images:` wants it. */
export interface ImageRef {
  /** As given, e.g. registry.example.org/shopfast-service:0.1.0 */
  reference: string;
  name: string;
  tag?: string;
  digest?: string;
}

export function parseAttendees(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > maxAttendees) {
    throw new InvalidArgumentError(`a whole number of attendees from 1 to ${maxAttendees} (got "${value}")`);
  }
  return n;
}

/** A DNS name under which every attendee gets hosts (attendee-07.<domain>, attendee-07-api.<domain>, …). */
export function parseDomain(value: string): string {
  const domain = value.trim().toLowerCase().replace(/\.$/, '');
  const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
  const labels = domain.split('.');
  // Room for the longest host this command writes, "attendee-200-prometheus.<domain>", in 253.
  if (labels.length < 2 || !labels.every((part) => label.test(part)) || domain.length > 229) {
    throw new InvalidArgumentError(
      `a DNS domain such as workshop.example.org: letters, digits and hyphens, at least two labels (got "${value}")`,
    );
  }
  return domain;
}

/** A pinned image reference: a tag other than latest, or a digest. */
export function parseImage(value: string): ImageRef {
  const reference = value.trim();
  const pinned =
    /^([a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;
  const match = pinned.exec(reference);
  if (!match || (!match[2] && !match[3])) {
    throw new InvalidArgumentError(
      `an image with a tag or digest, such as registry.example.org/shopfast-service:0.1.0 (got "${value}")`,
    );
  }
  if (match[2] === 'latest') {
    throw new InvalidArgumentError('pin the image to a version: :latest changes under running attendees');
  }
  return {
    reference,
    name: match[1]!,
    ...(match[2] ? { tag: match[2] } : {}),
    ...(match[3] ? { digest: match[3] } : {}),
  };
}

/** The nearest folder that exists at or above `path`, resolved through symlinks. */
function realExistingAncestor(path: string): string {
  let dir = path;
  while (!existsSync(dir)) dir = dirname(dir);
  return realpathSync(dir);
}

/**
 * A new or empty folder outside the repository: kustomize refuses an overlay inside its base's
 * folder (it reports a cycle), and the folder holds every attendee's secrets.
 */
export function parseOutDir(value: string): string {
  const out = resolve(value);
  if (existsSync(out) && readdirSync(out).length > 0) {
    throw new InvalidArgumentError(`${out} is not empty: give a new or empty folder`);
  }
  const fromRepo = relative(realpathSync(repoRoot), realExistingAncestor(out));
  if (fromRepo === '' || !(fromRepo === '..' || fromRepo.startsWith(`..${sep}`))) {
    throw new InvalidArgumentError(
      `${out} is inside the repository: kustomize cannot build an overlay inside its base, and the ` +
        'folder will hold secrets; choose one outside, e.g. ../workshop',
    );
  }
  return out;
}
