import { describe, expect, it } from 'vitest';
import {
  commandsIn,
  docCommands,
  executedDocs,
  fenceLanguages,
  parseDoc,
  readDoc,
  shellWords,
} from './docs-blocks.ts';
import {
  checkAgainstHelp,
  checkDocCommand,
  checkNpmRunArgs,
  checkSimulatorArgs,
  checkStartDemoArgs,
  startDemoOptions,
} from './docs-commands.ts';

// Every command line the five docs show parses against the real definitions; every fence names its
// language, and no query hides in inline code where the query test would not run it.
const docs = executedDocs.map((doc) => ({ doc, contents: readDoc(doc) }));
const commands = docs.flatMap(({ doc, contents }) => docCommands(doc, contents));

/** Inline code that is a query: SQL, a label matcher, a PromQL/LogQL function or a comparison. */
const looksLikeQuery = (code: string) =>
  /^\s*SELECT\b[\s\S]*\bFROM\b/i.test(code) ||
  /\{[^}]*\w\s*(=|!=|=~)\s*"/.test(code) ||
  /\b(rate|count_over_time|histogram_quantile)\s*\(/.test(code) ||
  /\w\}?\s*(==|!=)\s*\d/.test(code);

describe('the docs as written', () => {
  it.each(docs)('$doc: every fenced block names its language', ({ contents }) => {
    const untagged = contents.blocks.filter(
      (block) => !(fenceLanguages as readonly string[]).includes(block.lang),
    );
    expect(untagged.map((block) => `${block.lang || '(none)'}: ${block.text.slice(0, 60)}`)).toEqual([]);
  });

  it.each(docs)('$doc: every query sits in a fenced block (inline code holds none)', ({ contents }) => {
    expect(contents.spans.filter(looksLikeQuery)).toEqual([]);
  });

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

describe('the extractor', () => {
  it("reads a fence's language, its annotation and the prose before it, in lists too", () => {
    const { blocks, spans } = parseDoc(
      'README.md',
      [
        '- In `psql` as the owner:',
        '  <!-- run-as: owner; returns: a, b -->',
        '  ```sql',
        '  SELECT 1;',
        '  ```',
      ].join('\n'),
    );
    expect(blocks).toEqual([
      {
        doc: 'README.md',
        lang: 'sql',
        text: 'SELECT 1;',
        annotation: { 'run-as': 'owner', returns: 'a, b' },
        leadIn: 'In `psql` as the owner:',
      },
    ]);
    expect(spans).toEqual(['psql']);
  });

  it('finds commands anywhere in shell blocks, but only at the start of inline code', () => {
    const block =
      'for x in a; do\n  npm run --silent workshop:sim -- \\\n    --namespace "$x" run normal | kubectl create -f -\ndone';
    expect(commandsIn('WORKSHOP.md', block, 'anywhere').map((c) => c.args)).toEqual([
      ['--silent', 'workshop:sim', '--', '--namespace', '$x', 'run', 'normal'],
    ]);
    expect(commandsIn('README.md', 'missing: run ./start-demo.sh once', 'at-start')).toEqual([]);
    expect(commandsIn('README.md', 'docker compose run --rm sim check', 'at-start')[0]?.args).toEqual([
      'check',
    ]);
    expect(shellWords(`run 'a b' "c" # comment`)).toEqual(['run', 'a b', 'c']);
  });
});
