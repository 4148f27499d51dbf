import { describe, expect, it } from 'vitest';
import { envWithoutTargets } from '../../harness/cli-env.ts';
import { runCliInProcess } from '../../harness/cli-in-process.ts';
import { exitCodes } from '../errors.ts';

// run --until-stopped and --quiet: what they refuse before anything starts (no stack needed).

describe('run --until-stopped is background traffic, until Ctrl-C', () => {
  const cases: { args: string[]; message: RegExp }[] = [
    {
      args: ['run', 'payment-failures', '--until-stopped'],
      message: /--until-stopped plays background traffic: payment-failures fires alerts; use normal$/m,
    },
    { args: ['run', 'all', '--until-stopped'], message: /all fires alerts/ },
    { args: ['run', 'normal', '--until-stopped', '--duration', '60'], message: /it takes no --duration/ },
    { args: ['run', 'normal', '--until-stopped', '--until-firing'], message: /it takes no --until-firing/ },
    { args: ['run', 'normal', '--quiet', '--json'], message: /--quiet and --json: choose one/ },
    { args: ['trigger', 'failed-logins', '--until-stopped'], message: /unknown option '--until-stopped'/ },
  ];
  for (const { args, message } of cases) {
    it(`refuses ${args.join(' ')} (exit 2)`, async () => {
      const outcome = await runCliInProcess(args, envWithoutTargets());
      expect(outcome.code).toBe(exitCodes.usage);
      expect(outcome.stderr).toMatch(message);
    });
  }

  it('lists --until-stopped and --quiet in run --help, and exit code 8 in --help', async () => {
    const run = await runCliInProcess(['run', '--help'], envWithoutTargets());
    expect(run.stdout).toMatch(/--until-stopped\s+background traffic until Ctrl-C/);
    expect(run.stdout).toMatch(/--quiet\s+one line redrawn in place/);
    const help = await runCliInProcess(['--help'], envWithoutTargets());
    expect(help.stdout).toMatch(/^ {2}8 {4}check: nothing broken, but alerts are still resolving/m);
  });
});
