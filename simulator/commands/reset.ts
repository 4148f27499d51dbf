import { exitCodes, type ExitCode } from '../errors.ts';
import { resetEverything } from '../reset.ts';
import type { TargetFlags } from '../targets.ts';
import { commandContext } from './context.ts';

export async function resetCommand(targetFlags: TargetFlags): Promise<ExitCode> {
  const { shop } = commandContext(targetFlags);
  const outcome = await resetEverything(shop);
  process.stdout.write(`✓ faults cleared on ${outcome.faultsCleared.join(', ')}\n`);
  process.stdout.write(`✓ stock back to seed levels (${outcome.productsRestocked} products)\n`);
  process.stdout.write(`✓ failed-login streak cleared (${outcome.failedLoginsCleared} attempts)\n`);
  process.stdout.write('Alerts return to Normal at their next evaluations.\n');
  return exitCodes.ok;
}
