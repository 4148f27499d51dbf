import {
  activeSilences,
  describeMatchers,
  expireOwnSilences,
  silenceFor,
  type SilenceRequest,
} from '../alerts/silences.ts';
import type { TargetFlags } from '../clients/targets.ts';
import { commandContext } from '../context.ts';
import { clock } from '../display/format.ts';
import { exitCodes, UsageError, type ExitCode } from '../errors.ts';

/** `silence <alert>`: no notification for it (or the instances --match names) for --for. */
export async function silenceCommand(request: SilenceRequest, targetFlags: TargetFlags): Promise<ExitCode> {
  const silence = silenceFor(request, Date.now()); // bad input stops here, before anything is asked
  const alertmanager = await commandContext(targetFlags).openAlertmanager();
  const id = await alertmanager.createSilence(silence);
  process.stdout.write(
    `✓ silenced ${describeMatchers(silence)} until ${new Date(silence.endsAt).toLocaleTimeString()} in ${alertmanager.name} (id ${id})\n` +
      `  The rule still fires and shows in Grafana; no receiver is told. Lift it: shopfast-sim unsilence ${id}\n`,
  );
  return exitCodes.ok;
}

/** `silences`: the active ones, what they match and how long they have left. */
export async function silencesCommand(
  options: { json?: boolean },
  targetFlags: TargetFlags,
): Promise<ExitCode> {
  const alertmanager = await commandContext(targetFlags).openAlertmanager();
  const silences = await activeSilences(alertmanager);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(silences)}\n`);
    return exitCodes.ok;
  }
  if (silences.length === 0) {
    process.stdout.write(`No active silences in ${alertmanager.name}.\n`);
    return exitCodes.ok;
  }
  process.stdout.write(`Active silences in ${alertmanager.name}:\n`);
  for (const silence of silences) {
    const left = clock(Math.max(0, (Date.parse(silence.endsAt) - Date.now()) / 1000));
    process.stdout.write(
      `  ${silence.id}  ${describeMatchers(silence)}  ${left} left  by ${silence.createdBy}: ${silence.comment}\n`,
    );
  }
  return exitCodes.ok;
}

/** `unsilence <id>` or `unsilence --all` (every silence the simulator made). */
export async function unsilenceCommand(
  id: string | undefined,
  options: { all?: boolean },
  targetFlags: TargetFlags,
): Promise<ExitCode> {
  if ((id === undefined) === !options.all)
    throw new UsageError('unsilence: give a silence id or --all, not both');
  const alertmanager = await commandContext(targetFlags).openAlertmanager();
  if (options.all) {
    const expired = await expireOwnSilences(alertmanager);
    process.stdout.write(`✓ lifted ${expired} silence(s) made by shopfast-sim\n`);
    return exitCodes.ok;
  }
  const known = (await activeSilences(alertmanager)).find((silence) => silence.id === id);
  if (!known) throw new UsageError(`no active silence ${id} (shopfast-sim silences lists them)`);
  await alertmanager.expireSilence(known.id);
  process.stdout.write(`✓ lifted silence ${id} (${describeMatchers(known)}); notifications resume\n`);
  return exitCodes.ok;
}
