import type { TargetFlags } from '../clients/targets.ts';
import { commandContext } from '../context.ts';
import { exitCodes, type ExitCode } from '../errors.ts';
import { interruptOnSignals } from '../run/interrupt.ts';
import { startStage } from '../stage/open-stage.ts';

export interface StageFlags {
  host: string;
  port: number;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Serves the stage console until Ctrl-C; whatever it runs then is stopped and its faults undone. */
export async function stageCommand(flags: StageFlags, targetFlags: TargetFlags): Promise<ExitCode> {
  const stage = await startStage(commandContext(targetFlags), { host: flags.host, port: flags.port });
  const stop = interruptOnSignals({ onEvent: () => {}, note: say, close: () => {} });
  try {
    const { source } = stage.state.snapshot();
    say(`Stage console at ${stage.url} (Ctrl-C stops it and whatever it runs)`);
    say(`  alert states: ${source.label}`);
    say(`  values: ${source.values}`);
    say(`  notifications: ${source.notifications}`);
    await new Promise<void>((resolve) =>
      stop.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    return exitCodes.ok;
  } finally {
    await stage.close();
    stop.dispose();
  }
}
