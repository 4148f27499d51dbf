import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file with a package.json (works from dist/ too). */
function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('cannot find the repository root (no package.json above scripts/native)');
    dir = parent;
  }
  return dir;
}

export const repoRoot = findRepoRoot();
export const initSqlPath = join(repoRoot, 'postgres', 'init.sql');
/** Runtime files of the native runner (gitignored): stack.json and logs. */
export const nativeDir = join(repoRoot, '.native');
export const stackFilePath = join(nativeDir, 'stack.json');
