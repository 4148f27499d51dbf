// amtool, Alertmanager's command-line tool (Debian's prometheus-alertmanager package): checks
// alertmanager.yml, tests routing and renders templates as Alertmanager itself would.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface AmtoolResult {
  ok: boolean;
  /** The answer alone, e.g. `config routes test`'s receivers. */
  stdout: string;
  /** stdout and stderr together; amtool writes its verdicts and warnings to both. */
  output: string;
}

/** Runs `amtool <args>`; null when amtool is not installed. */
export async function runAmtool(args: string[]): Promise<AmtoolResult | null> {
  try {
    const { stdout, stderr } = await run('amtool', args, { timeout: 30_000 });
    return { ok: true, stdout, output: stdout + stderr };
  } catch (error) {
    const failed = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (failed.code === 'ENOENT') return null;
    return { ok: false, stdout: failed.stdout ?? '', output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}
