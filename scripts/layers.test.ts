import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './native/paths.ts';

// The layering rules of .dependency-cruiser.cjs, run on the repository (no violations) and on a tiny
// tree that breaks each kind of rule once (each must be reported, so the rules cannot pass vacuously).
const configuration = createRequire(import.meta.url)(
  join(repoRoot, '.dependency-cruiser.cjs'),
) as IConfiguration;

async function violations(baseDir: string, folders: string[]): Promise<string[]> {
  const { output } = await cruise(folders, {
    ...configuration.options,
    ruleSet: { forbidden: configuration.forbidden ?? [] },
    baseDir,
    tsConfig: { fileName: join(baseDir, 'tsconfig.json') },
    validate: true,
  } as never);
  const result = output as ICruiseResult;
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

const probe = mkdtempSync(join(tmpdir(), 'shopfast-layers-'));
afterAll(() => rmSync(probe, { recursive: true, force: true }));

function probeFile(path: string, text: string): void {
  mkdirSync(dirname(join(probe, path)), { recursive: true });
  writeFileSync(join(probe, path), text);
}

describe('the layering rules', () => {
  it('hold for the repository', async () => {
    const folders = ['domain', 'services', 'simulator', 'grafana/src', 'scripts', 'harness', 'bench', 'test'];
    expect(await violations(repoRoot, folders)).toEqual([]);
  }, 60_000);

  it('report an import circle, an upward import, a private import and a test helper in shipped code', async () => {
    cpSync(join(repoRoot, 'tsconfig.json'), join(probe, 'tsconfig.json'));
    probeFile('domain/a.ts', "import { b } from './b.ts';\nexport const a = b;\n");
    probeFile(
      'domain/b.ts',
      "import { a } from './a.ts';\nimport { run } from '../simulator/run.ts';\nexport const b = [a, run];\n",
    );
    probeFile(
      'simulator/run.ts',
      "import { rules } from '../grafana/src/rules.ts';\nexport const run = rules;\n",
    );
    probeFile('grafana/src/rules.ts', 'export const rules = 1;\n');
    probeFile('scripts/docs.ts', "import { run } from '../simulator/run.ts';\nexport const docs = run;\n");
    probeFile('bench/x.ts', "import { t } from '../test/support/t.ts';\nexport const x = t;\n");
    probeFile('test/support/t.ts', 'export const t = 1;\n');
    probeFile(
      'services/api/app.ts',
      "import { t } from '../../harness/t.ts';\nimport { s } from '../payment/s.ts';\nexport const app = [t, s];\n",
    );
    probeFile('services/payment/s.ts', 'export const s = 1;\n');
    probeFile('harness/t.ts', 'export const t = 1;\n');
    const found = await violations(probe, ['domain', 'simulator', 'grafana', 'scripts', 'bench', 'services']);
    const rules = new Set(found.map((line) => line.split(':')[0]));
    expect([...rules].sort()).toEqual(
      [
        'bench-imports-no-tests',
        'domain-imports-nothing-of-ours',
        'no-circular',
        'scripts-use-simulator-through-its-index',
        'services-import-each-other-only-through-contracts',
        'services-import-kit-and-domain-only',
        'shipped-code-imports-no-test-helpers',
        'simulator-uses-grafana-through-its-index',
      ].sort(),
    );
  }, 60_000);
});
