// The command line of an npm script that takes no arguments: --help (-h) prints what the script
// does and exits 0; anything else is a usage error (exit 2), so a mistyped option never starts it.
import { parseArgs } from 'node:util';

export function acceptNoArguments(usage: string, args: string[] = process.argv.slice(2)): void {
  let help: boolean | undefined;
  try {
    help = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } } }).values.help;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  if (help) {
    console.log(usage);
    process.exit(0);
  }
}
