import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The first of these commands found on PATH (in PATH's order per name), or null when none is installed. */
export function findOnPath(...names: string[]): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}
