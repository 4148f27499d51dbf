import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../scripts/native/paths.ts';

/**
 * The variables the image's runtime stage sets (the Dockerfile's last stage, its `ENV` lines:
 * NODE_ENV, NODE_OPTIONS, MALLOC_ARENA_MAX...), so the services run here as they run in a container.
 */
export function imageEnv(): Record<string, string> {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const [, assignments] of runtime.matchAll(/^ENV (.+)$/gm)) {
    for (const [, name, value] of assignments!.matchAll(/(\w+)=("[^"]*"|\S+)/g)) {
      env[name!] = value!.replace(/^"(.*)"$/, '$1');
    }
  }
  return env;
}
