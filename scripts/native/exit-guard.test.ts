import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const dir = await mkdtemp(join(tmpdir(), 'shopfast-exit-guard-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const guardModule = new URL('./exit-guard.ts', import.meta.url).href;

/** Runs a small ESM script in a fresh node that imports the guard; resolves with its exit code. */
async function runScript(stepsFile: string, body: string): Promise<number> {
  const script = `import { appendFileSync } from 'node:fs';
    import { guardProcessExit } from ${JSON.stringify(guardModule)};
    const log = (step) => () => appendFileSync(${JSON.stringify(stepsFile)}, step + '\\n');
    ${body}`;
  return promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]).then(
    () => 0,
    (err: { code: number }) => err.code,
  );
}

describe('guardProcessExit', () => {
  it('runs every step, last added first, when the process exits abruptly', async () => {
    const steps = join(dir, 'abrupt');
    const code = await runScript(
      steps,
      `
      const guard = guardProcessExit();
      guard.add(log('remove data'));
      guard.add(() => { throw new Error('one step fails'); });
      guard.add(log('kill services'));
      process.exit(130);`,
    );
    expect(code).toBe(130);
    expect(await readFile(steps, 'utf8')).toBe('kill services\nremove data\n');
  });

  it('does nothing at exit once released', async () => {
    const steps = join(dir, 'released');
    const code = await runScript(
      steps,
      `
      const guard = guardProcessExit();
      guard.add(log('should not run'));
      guard.release();`,
    );
    expect(code).toBe(0);
    expect(existsSync(steps)).toBe(false);
  });
});
