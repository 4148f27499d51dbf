// npm run workshop -- --attendees 30 --domain workshop.example.org --image registry.example.org/shopfast-service:0.1.0 --out ../workshop
// Writes a kustomize overlay with one namespace per attendee (own random secrets, an Ingress on
// the attendee's hosts) and the trainer's roster. Bad input is refused before anything is written.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { attendeesFor } from './attendees.ts';
import { overlayFiles, type OverlayFile } from './overlay.ts';
import {
  maxAttendees,
  parseAttendees,
  parseDomain,
  parseImage,
  parseOutDir,
  type ImageRef,
} from './settings.ts';

interface Options {
  attendees: number;
  domain: string;
  image: ImageRef;
  out: string;
  ingressClass?: string;
}

function ingressClass(value: string): string {
  if (!/^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/.test(value)) {
    throw new InvalidArgumentError(`an IngressClass name such as nginx (got "${value}")`);
  }
  return value;
}

async function writeOverlay(outDir: string, files: OverlayFile[]): Promise<void> {
  for (const file of files) {
    const path = join(outDir, file.path);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(path, file.content, { mode: file.secret ? 0o600 : 0o644 });
    if (file.secret) await chmod(path, 0o600);
  }
}

const program = new Command('workshop')
  .description(
    'Write a kustomize overlay with one ShopFast stack per attendee, and the roster (see WORKSHOP.md).',
  )
  .requiredOption('--attendees <n>', `how many attendees, 1-${maxAttendees}`, parseAttendees)
  .requiredOption(
    '--domain <domain>',
    'DNS domain with a wildcard record to the ingress controller',
    parseDomain,
  )
  .requiredOption(
    '--image <image>',
    'the ShopFast image pushed to the cluster registry, with its tag',
    parseImage,
  )
  .requiredOption('--out <dir>', 'a new or empty folder outside the repository', parseOutDir)
  .option(
    '--ingress-class <name>',
    "the Ingresses' class (default: the cluster's default class)",
    ingressClass,
  )
  .showHelpAfterError('(npm run workshop -- --help lists the options)')
  .exitOverride();

try {
  const options = program.parse().opts<Options>();
  const attendees = attendeesFor(options.attendees, options.domain);
  const files = overlayFiles(
    attendees,
    { domain: options.domain, image: options.image, ingressClass: options.ingressClass },
    options.out,
  );
  await writeOverlay(options.out, files);
  console.log(`Wrote ${attendees.length} attendee stacks to ${options.out}:`);
  console.log(`  kubectl apply -k ${options.out}        # one namespace per attendee`);
  console.log(`  npm run workshop:ready -- --dir ${options.out}   # until every stack is ready`);
  console.log(`  roster: ${join(options.out, 'roster.md')} and roster.csv (private: passwords inside)`);
} catch (error) {
  // Commander has printed the usage error already; nothing was written.
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else throw error;
}
