// README's figures about the simulator, from where they are set: its commands, options and their
// defaults from the CLI's own definition, and the faults' lifetimes from the fault model.
import { defaultFaultTtlSeconds, maxFaultTtlSeconds } from '../domain/faults.ts';
import { buildProgram, scenarioFaultTtlSeconds } from '../simulator/index.ts';

const cell = (text: string) => text.replaceAll('|', '\\|');

/** One row per command: its arguments, what it does, and its options with their defaults. */
export function simulatorCommandTable(): string {
  const rows = buildProgram().commands.map((command) => {
    const args = command.registeredArguments.map((a) => (a.required ? ` <${a.name()}>` : ` [${a.name()}]`));
    const options = command.options.map((option) => {
      const shown =
        option.defaultValue !== undefined && !option.negate && !Array.isArray(option.defaultValue);
      return `\`${option.flags}\`${shown ? ` (${String(option.defaultValue)})` : ''}`;
    });
    return `| \`${command.name()}${args.join('')}\` | ${cell(command.description())} | ${options.join(', ') || '—'} |`;
  });
  return ['| command | what it does | options (default) |', '|---|---|---|', ...rows].join('\n');
}

/** How long a fault lives: set by hand, and as scenarios set it. */
export function faultLifetime(): string {
  return (
    'Every fault expires by itself. `PUT /admin/faults` (Bearer `ADMIN_TOKEN`) takes the fault values and ' +
    `\`ttlSeconds\` (default ${defaultFaultTtlSeconds}, at most ${maxFaultTtlSeconds}); \`GET /admin/faults\`, ` +
    '`fault_expiry_timestamp_seconds{kind}` and `shopfast-sim status` show when each goes off. Scenarios set ' +
    `theirs for ${scenarioFaultTtlSeconds} s and renew them while they run, so a simulator killed with ` +
    'SIGKILL, or a laptop that sleeps, leaves no fault on for longer than that.'
  );
}
