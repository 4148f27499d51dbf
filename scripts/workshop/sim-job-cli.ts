// npm run --silent workshop:sim -- --namespace attendee-07 --image IMAGE run payment-failures --until-firing | kubectl create -f -
// Prints a Job that runs shopfast-sim with the given arguments inside the attendee's namespace.
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { stringify } from 'yaml';
import { simulatorCommands, simulatorJob } from './sim-job.ts';
import { parseImage, type ImageRef } from './settings.ts';

interface Options {
  namespace: string;
  image: ImageRef;
}

function namespaceName(value: string): string {
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(value)) {
    throw new InvalidArgumentError(`a namespace name such as attendee-07 (got "${value}")`);
  }
  return value;
}

const program = new Command('workshop:sim')
  .description(
    "Print a Kubernetes Job that runs shopfast-sim in an attendee's namespace (pipe it to kubectl create -f -).",
  )
  .requiredOption('--namespace <name>', "the attendee's namespace", namespaceName)
  .requiredOption('--image <image>', 'the ShopFast image the stack runs', parseImage)
  .argument(
    '<simulator-args...>',
    `shopfast-sim's arguments: ${simulatorCommands.join(' | ')} and its options`,
  )
  // Everything after the first argument belongs to shopfast-sim (--until-firing, --rate, …).
  .passThroughOptions()
  .showHelpAfterError('(npm run workshop:sim -- --help lists the options)')
  .exitOverride();

try {
  program.parse();
  const options = program.opts<Options>();
  const simulatorArgs = program.args;
  if (!(simulatorCommands as readonly string[]).includes(simulatorArgs[0] ?? '')) {
    program.error(
      `error: the first simulator argument must be one of ${simulatorCommands.join(', ')} (got "${simulatorArgs[0]}")`,
      {
        exitCode: 2,
      },
    );
  }
  process.stdout.write(stringify(simulatorJob(options.namespace, options.image.reference, simulatorArgs)));
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else throw error;
}
