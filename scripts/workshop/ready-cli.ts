// npm run workshop:ready -- --dir ../workshop [--wait 600] [--context NAME]
// Reports each attendee's stack as ready or not (every Deployment of the stack rolled out and
// ready), reading the namespaces from the overlay that `npm run workshop` wrote.
// Exit codes: 0 all ready, 1 some not ready, 2 usage error, 3 kubectl failed.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { parse } from 'yaml';
import { formatReadiness, kubectlGetDeploymentsArgs, readinessOf } from './readiness.ts';

const run = promisify(execFile);
const pollSeconds = 5;

interface Options {
  dir: string;
  wait: number;
  context?: string;
  kubectl: string;
}

/** The attendee namespaces: the resources of the overlay's top kustomization. */
function namespacesOf(dir: string): string[] {
  const path = join(resolve(dir), 'kustomization.yaml');
  if (!existsSync(path)) {
    throw new InvalidArgumentError(`${path} does not exist: give the --out folder of npm run workshop`);
  }
  const document = parse(readFileSync(path, 'utf8')) as { resources?: unknown } | null;
  const resources = Array.isArray(document?.resources) ? document.resources : [];
  const namespaces = resources.filter((entry): entry is string => typeof entry === 'string');
  if (namespaces.length === 0) throw new InvalidArgumentError(`${path} lists no attendee folders`);
  return namespaces;
}

function namespacesOrUsageError(dir: string): string[] {
  try {
    return namespacesOf(dir);
  } catch (error) {
    return program.error(`error: ${(error as Error).message}`, { exitCode: 2 });
  }
}

function waitSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 3600) throw new InvalidArgumentError('whole seconds, 0-3600');
  return n;
}

async function kubectlDeployments(options: Options): Promise<string> {
  try {
    const { stdout } = await run(options.kubectl, kubectlGetDeploymentsArgs(options.context), {
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const failed = error as { stderr?: string; message: string };
    throw new Error(`kubectl failed: ${(failed.stderr || failed.message).trim()}`, { cause: error });
  }
}

const program = new Command('workshop:ready')
  .description("Report each attendee's ShopFast stack as ready or not.")
  .requiredOption('--dir <dir>', 'the folder npm run workshop wrote')
  .option(
    '--wait <seconds>',
    `keep asking every ${pollSeconds} s until all are ready or this long has passed`,
    waitSeconds,
    0,
  )
  .option('--context <name>', 'the kubeconfig context (default: the current one)')
  .option('--kubectl <path>', 'the kubectl binary', 'kubectl')
  .showHelpAfterError('(npm run workshop:ready -- --help lists the options)')
  .exitOverride();

try {
  const options = program.parse().opts<Options>();
  const namespaces = namespacesOrUsageError(options.dir);
  const deadline = Date.now() + options.wait * 1000;
  for (;;) {
    const stacks = readinessOf(await kubectlDeployments(options), namespaces);
    const allReady = stacks.every((stack) => stack.ready);
    if (allReady || Date.now() >= deadline) {
      console.log(formatReadiness(stacks));
      process.exitCode = allReady ? 0 : 1;
      break;
    }
    console.log(
      `${stacks.filter((stack) => stack.ready).length} of ${stacks.length} ready; asking again in ${pollSeconds} s`,
    );
    await new Promise((done) => setTimeout(done, pollSeconds * 1000));
  }
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else {
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 3;
  }
}
