import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../scripts/native/paths.ts';

/**
 * dist/ as `npm run build` (tsc -p tsconfig.build.json) makes it, for what runs the compiled code (the
 * benchmarks, the test of the image's entry point): built when it is missing or older than any
 * source it is compiled from, so a fresh clone needs no build step first.
 */

/** A file every build writes (tsc rewrites every output), so its age is the build's. */
const marker = join(repoRoot, 'dist', 'services', 'payment', 'main.js');

/** What the build reads: tsconfig.build.json's folders and the two tsconfig files. */
function buildInputs(): string[] {
  const config = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.build.json'), 'utf8')) as {
    include: string[];
  };
  return [...config.include, 'tsconfig.json', 'tsconfig.build.json'];
}

function newestMtime(path: string): number {
  const full = join(repoRoot, path);
  if (!existsSync(full)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(full).map((entry) => newestMtime(join(path, entry))));
}

/** True when dist/ was built after the last change to its sources. */
export function buildIsFresh(): boolean {
  return existsSync(marker) && statSync(marker).mtimeMs > Math.max(...buildInputs().map(newestMtime));
}

/** Builds dist/ unless it is fresh; throws with tsc's output when the build fails. */
export function ensureFreshBuild(): void {
  if (buildIsFresh()) return;
  const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, encoding: 'utf8', timeout: 240_000 });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
}
