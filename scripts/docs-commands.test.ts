import { describe, expect, it } from 'vitest';
import { docCommands, executedDocs, readDoc } from './docs-blocks.ts';
import {
  checkAgainstHelp,
  checkDocCommand,
  checkNpmRunArgs,
  checkSimulatorArgs,
  checkStartDemoArgs,
  startDemoOptions,
} from './docs-commands.ts';

// Every command line the five docs show parses against the real definitions.
const commands = executedDocs.flatMap((doc) => docCommands(doc, readDoc(doc)));

describe('the docs as written', () => {
  it('finds the command lines of all five docs', () => {
    expect(new Set(commands.map((command) => command.doc))).toEqual(new Set(executedDocs));
    expect(new Set(commands.map((command) => command.tool))).toEqual(
      new Set(['shopfast-sim', 'start-demo', 'npm-run']),
    );
  });

  it.each(commands.map((command) => [command.doc, command.source, command] as const))(
    '%s: %s',
    (_doc, _source, command) => {
      expect(checkDocCommand(command)).toBeUndefined();
    },
    60_000,
  );
});

describe('the command checks', () => {
  it('refuse an unknown shopfast-sim command, option, scenario or alert', () => {
    expect(checkSimulatorArgs(['run', 'payment-failures', '--until-firing'])).toBeUndefined();
    expect(checkSimulatorArgs(['reset', '--wait', '--timeout', '<s>'])).toBeUndefined();
    expect(checkSimulatorArgs(['--help'])).toBeUndefined();
    expect(checkSimulatorArgs(['restart'])).toMatch(/unknown command 'restart'/);
    expect(checkSimulatorArgs(['reset', '--force'])).toMatch(/unknown option '--force'/);
    expect(checkSimulatorArgs(['run'])).toMatch(/missing required argument/);
    expect(checkSimulatorArgs(['run', 'black-friday'])).toBe('unknown scenario "black-friday"');
    expect(checkSimulatorArgs(['trigger', 'disk-full'])).toBe('unknown alert "disk-full"');
    expect(checkSimulatorArgs(['run', '<story>'])).toMatch(/placeholder <story>/);
    expect(checkSimulatorArgs(['run', '--duration', 'ten', 'normal'])).toMatch(/whole number/);
  });

  it("take start-demo.sh's options from its own case statement", () => {
    const script = [
      'main() {',
      '  case "$action" in',
      '    --help | -h)',
      '      usage',
      '      ;;',
      '    --native) run_native "$@" ;;',
      '    up | --down) ;;',
      '    *) exit 2 ;;',
      '  esac',
      '}',
    ].join('\n');
    expect(startDemoOptions(script)).toEqual(['--help', '-h', '--native', 'up', '--down']);
    expect(startDemoOptions()).toEqual(expect.arrayContaining(['--native', '--down', '--reset', '--logs']));
    expect(checkStartDemoArgs([])).toBeUndefined();
    expect(checkStartDemoArgs(['--reset'])).toBeUndefined();
    expect(checkStartDemoArgs(['--restart'])).toBe('./start-demo.sh has no option --restart');
    expect(checkStartDemoArgs(['--down', '--', '--random-ports'])).toBe(
      './start-demo.sh --down takes no arguments',
    );
  });

  it('refuse an npm script package.json lacks, and options its --help does not list', () => {
    expect(checkNpmRunArgs(['docs'])).toBeUndefined();
    expect(checkNpmRunArgs(['doc'])).toBe('package.json has no script "doc"');
    expect(checkNpmRunArgs(['sim', '--', 'trigger', 'high-cpu'])).toBeUndefined();
    expect(checkNpmRunArgs(['sim', '--', 'trigger', 'cpu'])).toBe('unknown alert "cpu"');
    expect(checkNpmRunArgs(['lint', '--', '--fix'])).toMatch(/takes no arguments/);
    const help = 'Options:\n  --out <dir>  where\n  --attendees <n>  how many\n  --dry-run\nchoose from a, b';
    expect(checkAgainstHelp(['--out', 'x', '--dry-run', 'b'], help, 'it')).toBeUndefined();
    expect(checkAgainstHelp(['--outdir', 'x'], help, 'it')).toBe('it has no option --outdir');
    expect(checkAgainstHelp(['c'], help, 'it')).toBe('it takes no argument "c"');
    expect(checkAgainstHelp(['<options>'], help, 'it')).toBeUndefined();
  });
});
