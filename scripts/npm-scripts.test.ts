// Every `tsx <file>` script of package.json answers --help at once (exit 0, a usage) and refuses
// an unknown option (exit 2), so no mistyped command line starts a long run.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './native/paths.ts';

const scripts = Object.entries(
  (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts,
).flatMap(([name, command]) => {
  const file = /^tsx (\S+)$/.exec(command)?.[1];
  return file ? [{ name, file }] : [];
});

const tsx = (file: string, arg: string) =>
  spawnSync(join(repoRoot, 'node_modules', '.bin', 'tsx'), [file, arg], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('npm scripts run by tsx', () => {
  it('are found in package.json', () => {
    expect(scripts.map((script) => script.name)).toEqual(
      expect.arrayContaining([
        'bench',
        'docs',
        'grafana:build',
        'grafana:check',
        'stage:screenshot',
        'native',
      ]),
    );
  });

  it.each(scripts)(
    '$name answers --help with its usage and refuses an unknown option',
    ({ file }) => {
      const help = tsx(file, '--help');
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toMatch(/^Usage: /m);
      const wrong = tsx(file, '--no-such-option');
      expect(wrong.status, wrong.stdout).not.toBe(0);
      expect(wrong.stderr).not.toBe('');
    },
    130_000,
  );
});
