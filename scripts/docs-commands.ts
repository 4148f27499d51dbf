// Checks a command line from the docs against the real definitions, without running it:
// shopfast-sim against its commander program, ./start-demo.sh against the options its own `case`
// accepts, `npm run` against package.json and the script's own --help.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { alertCatalog } from '../domain/alerts.ts';
import { scenarioNames } from '../domain/scenarios.ts';
import { buildProgram } from '../simulator/index.ts';
import type { DocCommand } from './docs-blocks.ts';
import { repoRoot } from './native/paths.ts';

/**
 * The placeholders the docs write for an argument the reader picks, and a real value the command
 * takes there; an ellipsis ends an example that is cut short. Any other `<…>` is a failure.
 */
const placeholders: Record<string, string> = {
  '<scenario>': scenarioNames[0],
  '<alert>': alertCatalog[0]!.uid,
  '<s>': '60',
  '<seconds>': '60',
  '<n>': '1',
  '<multiplier>': '2',
};
const ellipses = new Set(['…', '...']);

/** The arguments up to an ellipsis, optional brackets removed (`[--timeout <s>]`). */
function writtenArgs(args: readonly string[]): string[] {
  const end = args.findIndex((arg) => ellipses.has(arg));
  return (end < 0 ? args : args.slice(0, end))
    .map((arg) => arg.replace(/^\[/, '').replace(/\]$/, ''))
    .filter((arg) => arg !== '');
}

/** Parses shopfast-sim's arguments with every action replaced; a problem as text, else undefined. */
export function checkSimulatorArgs(args: readonly string[]): string | undefined {
  const written = writtenArgs(args);
  // `shopfast-sim` alone names the tool; `docker compose run --rm sim <command>` any command.
  if (written.length === 0 || written[0] === '<command>') return undefined;
  const unknown = written.find((arg) => /^<.*>$/.test(arg) && !(arg in placeholders));
  if (unknown) return `the placeholder ${unknown} has no example value in scripts/docs-commands.ts`;
  const program = buildProgram();
  const positionals: { command: string; value: string }[] = [];
  const silence = { writeOut: () => {}, writeErr: () => {} };
  program.configureOutput(silence);
  for (const command of program.commands) {
    command.configureOutput(silence).exitOverride();
    command.action((...received: unknown[]) => {
      const [value] = received;
      if (typeof value === 'string') positionals.push({ command: command.name(), value });
    });
  }
  try {
    program.parse(
      written.map((arg) => placeholders[arg] ?? arg),
      { from: 'user' },
    );
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? undefined : error.message;
    throw error;
  }
  return positionals.map(({ command, value }) => knownArgument(command, value)).find(Boolean);
}

/** run and trigger check their argument when they run; here it is checked at once. */
function knownArgument(command: string, value: string): string | undefined {
  if (command === 'run' && !(scenarioNames as readonly string[]).includes(value))
    return `unknown scenario "${value}"`;
  if (command === 'trigger' && !alertCatalog.some((alert) => alert.uid === value))
    return `unknown alert "${value}"`;
  return undefined;
}

/** The options ./start-demo.sh accepts: the patterns of the `case "$action"` in its main(). */
export function startDemoOptions(script = readFileSync(join(repoRoot, 'start-demo.sh'), 'utf8')): string[] {
  const cases = /^main\(\) \{[\s\S]*?case "\$action" in\n([\s\S]*?)\n\s*esac/m.exec(script)?.[1];
  if (!cases) throw new Error('start-demo.sh has no `case "$action" in` in main()');
  return [...cases.matchAll(/^\s*([^\s()*][^()\n]*)\)/gm)].flatMap((match) =>
    match[1]!.split('|').map((pattern) => pattern.trim()),
  );
}

/** What a tsx script prints for --help (stdout and stderr: a script without help names its choices). */
const helpTexts = new Map<string, string>();
export function helpOf(file: string): string {
  let help = helpTexts.get(file);
  if (help === undefined) {
    const result = spawnSync(join(repoRoot, 'node_modules', '.bin', 'tsx'), [file, '--help'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    help = `${result.stdout}\n${result.stderr}`;
    helpTexts.set(file, help);
  }
  return help;
}

/** The flags a help text shows with a value: `--out <dir>`. */
function valueFlags(help: string): Set<string> {
  return new Set([...help.matchAll(/(--[a-z][\w-]*) <[^>]+>/g)].map((m) => m[1]!));
}

/**
 * Options and arguments against a script's help: every `--flag` must be listed, a flag shown with
 * `<value>` takes the next word, and any other word must appear in the help (a choice it lists)
 * or be a placeholder the reader fills in (`<options>`).
 */
export function checkAgainstHelp(args: readonly string[], help: string, what: string): string | undefined {
  const taking = valueFlags(help);
  const flags = new Set([...help.matchAll(/--[a-z][\w-]*/g)].map((m) => m[0]));
  const written = writtenArgs(args);
  for (let i = 0; i < written.length; i++) {
    const arg = written[i]!;
    if (arg.startsWith('-')) {
      const flag = arg.split('=')[0]!;
      if (flag !== '--help' && !flags.has(flag)) return `${what} has no option ${flag}`;
      if (taking.has(flag) && !arg.includes('=')) i++;
    } else if (!/^<[\w-]+>$/.test(arg) && !help.split(/[^\w:.-]+/).includes(arg)) {
      return `${what} takes no argument "${arg}"`;
    }
  }
  return undefined;
}

/** ./start-demo.sh [option] [[--] native runner options]: the runner's options only where it runs. */
export function checkStartDemoArgs(args: readonly string[]): string | undefined {
  const written = writtenArgs(args);
  const [first] = written;
  const action = first === undefined || first === '--' ? 'up' : first;
  if (!startDemoOptions().includes(action)) return `./start-demo.sh has no option ${action}`;
  const rest = written.slice(first === undefined || first === '--' ? 0 : 1);
  const nativeArgs = rest[0] === '--' ? rest.slice(1) : rest;
  if (nativeArgs.length === 0) return undefined;
  if (action !== 'up' && action !== '--native') return `./start-demo.sh ${action} takes no arguments`;
  return checkAgainstHelp(nativeArgs, helpOf('scripts/native/cli.ts'), 'the native runner');
}

interface PackageJson {
  scripts: Record<string, string>;
}
const packageScripts = (): Record<string, string> =>
  (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson).scripts;

/** Scripts whose arguments are shopfast-sim's: all of them, or all after its own options. */
const simulatorScripts: Record<string, 'all' | 'after-options'> = {
  sim: 'all',
  'workshop:sim': 'after-options',
};

/** npm run [--silent] <script> [-- args]: the script exists and takes the arguments. */
export function checkNpmRunArgs(args: readonly string[]): string | undefined {
  const written = writtenArgs(args).filter((arg) => arg !== '--silent');
  const [name, separator, ...scriptArgs] = written;
  if (name === undefined) return 'npm run without a script';
  const script = packageScripts()[name];
  if (script === undefined) return `package.json has no script "${name}"`;
  if (separator === undefined) return undefined;
  if (separator !== '--') return `arguments for npm run ${name} must follow --`;
  if (simulatorScripts[name] === 'all') return checkSimulatorArgs(scriptArgs);
  const file = /^tsx (\S+)$/.exec(script)?.[1];
  if (!file) return `npm run ${name} (${script}) takes no arguments`;
  const help = helpOf(file);
  if (simulatorScripts[name] === 'after-options') {
    const firstPositional = positionalIndex(scriptArgs, help);
    return (
      checkAgainstHelp(scriptArgs.slice(0, firstPositional), help, `npm run ${name}`) ??
      checkSimulatorArgs(scriptArgs.slice(firstPositional))
    );
  }
  return checkAgainstHelp(scriptArgs, help, `npm run ${name}`);
}

/** Where the first positional argument is, given which of the help's flags take a value. */
function positionalIndex(args: readonly string[], help: string): number {
  const taking = valueFlags(help);
  for (let i = 0; i < args.length; i++) {
    if (!args[i]!.startsWith('-')) return i;
    if (taking.has(args[i]!)) i++;
  }
  return args.length;
}

export function checkDocCommand(command: DocCommand): string | undefined {
  switch (command.tool) {
    case 'shopfast-sim':
      return checkSimulatorArgs(command.args);
    case 'start-demo':
      return checkStartDemoArgs(command.args);
    case 'npm-run':
      return checkNpmRunArgs(command.args);
  }
}
