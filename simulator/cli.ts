import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { alertCatalog } from '../domain/alerts.ts';
import { checkCommand, type CheckFlags } from './commands/check.ts';
import { listCommand } from './commands/list.ts';
import { rehearseCommand, rehearsedScenarioNames, type RehearseFlags } from './commands/rehearse.ts';
import { resetCommand, type ResetFlags } from './commands/reset.ts';
import { runCommand, triggerCommand, type RunFlags } from './commands/run.ts';
import { silenceCommand, silencesCommand, unsilenceCommand } from './commands/silence.ts';
import { stageCommand, type StageFlags } from './commands/stage.ts';
import { statusCommand } from './commands/status.ts';
import { CliError, exitCodes, type ExitCode } from './errors.ts';
import { untilStoppedSeconds } from './run/phase-plan.ts';
import { scenarioNames } from '../domain/scenarios.ts';
import type { TargetFlags } from './clients/targets.ts';

function wholeNumber(label: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`${label}: a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

function multiplier(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 20) {
    throw new InvalidArgumentError('a number above 0 and at most 20 (1 = the scenario as written)');
  }
  return n;
}

const seconds = wholeNumber('seconds', 1, 3600);

/** A repeatable option's values, in order. */
const collect = (value: string, previous: string[]): string[] => [...previous, value];

const exitCodeHelp = `
Exit codes:
  ${exitCodes.ok}    ok
  ${exitCodes.failure}    unexpected failure
  ${exitCodes.usage}    usage error: bad argument, unknown scenario or alert, missing or refused admin token
  ${exitCodes.unreachable}    a target (service, Prometheus, Loki, Grafana) is not reachable, or a fault could not be undone
  ${exitCodes.notFiring}    --until-firing / trigger: the expected alert was not firing before --timeout
  ${exitCodes.checkFailed}    check: at least one check failed
  ${exitCodes.notNormal}    not Normal: the alert was already Pending/Firing at the start (trigger, run --until-firing
       with --no-wait), or did not return to Normal before --timeout (those, and reset --wait)
  ${exitCodes.rehearsalMissed}    rehearse: an alert fired late or not at all, resolved late, or an unexpected one fired
  ${exitCodes.resolving}    check: nothing broken, but alerts are still resolving (check --wait waits for them)
  ${exitCodes.interrupted}  stopped by Ctrl-C or SIGTERM (after undoing the faults)

Targets (flag, else environment, else .native/stack.json from the native runner, else .env, else default):
  SHOPFAST_API_URL (http://localhost:8080)   SHOPFAST_FRONTEND_URL (:8081)
  SHOPFAST_PAYMENT_URL (:8082)               SHOPFAST_INVENTORY_URL (:8083)
  PROMETHEUS_URL (:9090)  LOKI_URL (:3100)  GRAFANA_URL (:3000)  GRAFANA_USER / GRAFANA_PASSWORD (admin/admin)
  ALERTMANAGER_URL (none; the native runner's): where the rule preview posts its alerts
  DATABASE_URL (postgres://shopfast:…@localhost:5432/shopfast)  for the rule preview's SQL rules
  ADMIN_TOKEN  token of the services' /admin API (faults and resets)
  In .env, API_PORT FRONTEND_PORT PAYMENT_PORT INVENTORY_PORT PROMETHEUS_PORT LOKI_PORT GRAFANA_PORT
  POSTGRES_PORT move those ports on localhost, as docker compose publishes them.

Alert states come from Grafana when it answers. Where it does not (the native stack), run, status,
trigger, check, reset --wait and rehearse show a preview computed from the generated rule file against
Prometheus, PostgreSQL and Loki, evaluated as Grafana would (10 s ticks, pending periods), and say so
("preview: Pending 4 s, fires at ~10 s"); it is never Grafana's own state.
trigger and run --until-firing count only an alert that becomes Pending/Firing after they start; one
already active is waited out first (--no-wait: exit 6 instead). trigger clears that alert's own signal
first (what reset does, for it alone) and says how long the resolve and the new firing take.

Examples:
  shopfast-sim check
  shopfast-sim run payment-failures --until-firing
  shopfast-sim run flash-sale --duration 30 --rate 2 --json
  shopfast-sim trigger high-cpu
  shopfast-sim run normal --until-stopped
  shopfast-sim check --wait
  shopfast-sim reset --wait
  shopfast-sim silence payment-failures --for 10m --comment "gateway maintenance"
  shopfast-sim rehearse --report rehearsal.md
  shopfast-sim rehearse high-cpu flapping
  shopfast-sim stage --port 8070`;

/** What a parsed command line ended with: commands report their exit code here. */
interface Outcome {
  exitCode: ExitCode;
}

/** The whole command line, parsed and run by {@link runCommandLine}; nothing runs on import. */
const targetFlags = (command: Command): TargetFlags => command.optsWithGlobals<TargetFlags>();

/** The options of run and trigger; `runOnly` adds those trigger implies or refuses. */
function addRunOptions(command: Command, { runOnly }: { runOnly: boolean }): Command {
  command
    .option(
      '--duration <seconds>',
      "total length (default: the scenario's own, which outlasts its alerts)",
      seconds,
    )
    .option('--rate <multiplier>', "multiplies the scenario's rates", multiplier, 1)
    .option(
      '--timeout <seconds>',
      'trigger, --until-firing: give up after this long (and as long again for an active alert to return to Normal)',
      seconds,
      300,
    )
    .option(
      '--no-wait',
      'trigger, --until-firing: if the alert is already Pending or Firing, stop (exit 6) instead of waiting for Normal (trigger clears its signal first)',
    )
    .option('--json', 'one JSON object per line instead of the live view')
    .option('--seed <n>', 'seed for reproducible arrivals and journeys', wholeNumber('seed', 0, 4294967295))
    .option('--poisson', 'random (Poisson) gaps between arrivals instead of evenly spaced ones')
    .option('--quiet', 'one line redrawn in place instead of the live view (calm enough to leave on screen)');
  if (runOnly)
    command
      .option(
        '--until-firing',
        'keep going until every expected alert newly fires (in Grafana, else the rule preview)',
      )
      .option(
        '--until-stopped',
        `background traffic until Ctrl-C (normal only; at most ${untilStoppedSeconds / 3600} h): what its shoppers buy is put back, Ctrl-C exits 0`,
      );
  return command;
}

export function buildProgram(outcome: Outcome = { exitCode: exitCodes.ok }): Command {
  const program = new Command('shopfast-sim')
    .description(
      'Traffic and incidents for the ShopFast demo: scenarios that make Grafana alerts fire on cue.',
    )
    .option('--api-url <url>', 'api service (env SHOPFAST_API_URL)')
    .option('--frontend-url <url>', 'frontend service (env SHOPFAST_FRONTEND_URL)')
    .option('--payment-url <url>', 'payment service (env SHOPFAST_PAYMENT_URL)')
    .option('--inventory-url <url>', 'inventory service (env SHOPFAST_INVENTORY_URL)')
    .option('--prometheus-url <url>', 'Prometheus (env PROMETHEUS_URL)')
    .option('--loki-url <url>', 'Loki (env LOKI_URL)')
    .option('--grafana-url <url>', 'Grafana (env GRAFANA_URL)')
    .option(
      '--alertmanager-url <url>',
      "a standalone Alertmanager for the rule preview's alerts (env ALERTMANAGER_URL; the native runner's by default)",
    )
    .option('--grafana-user <user>', 'Grafana user (env GRAFANA_USER)')
    .option('--grafana-password <password>', 'Grafana password (env GRAFANA_PASSWORD)')
    .option('--database-url <url>', 'PostgreSQL, for the rule preview without Grafana (env DATABASE_URL)')
    .option('--admin-token <token>', "the services' admin token (env ADMIN_TOKEN)")
    .addHelpText('after', exitCodeHelp)
    .showHelpAfterError('(shopfast-sim --help lists commands, options and exit codes)')
    .exitOverride();

  program
    .command('list')
    .description('the scenarios: story, length, traffic shape, expected alerts and when they fire')
    .option('--json', 'one JSON object per scenario')
    .action((options: { json?: boolean }) => listCommand(options));

  addRunOptions(
    program
      .command('run')
      .description('run a scenario; faults it sets are undone at the end, on Ctrl-C too')
      .argument('<scenario>', `one of ${scenarioNames.join(', ')}`),
    { runOnly: true },
  ).action(async (name: string, flags: RunFlags, command: Command) => {
    outcome.exitCode = await runCommand(name, flags, targetFlags(command));
  });

  addRunOptions(
    program
      .command('trigger')
      .description(
        'run the scenario that fires one alert, until Grafana (else the rule preview) shows it newly firing',
      )
      .argument('<alert>', `one of ${alertCatalog.map((alert) => alert.uid).join(', ')}`),
    { runOnly: false },
  ).action(async (uid: string, flags: RunFlags, command: Command) => {
    outcome.exitCode = await triggerCommand(uid, flags, targetFlags(command));
  });

  program
    .command('reset')
    .description(
      "clear every fault, restore seed stock, clear the failed-login streak and the status page's incidents (safe to repeat)",
    )
    .option('--keep-incidents', "leave the status page's incidents as they are")
    .option('--wait', 'then wait until every alert is Normal (in Grafana, else in the rule preview)')
    .option('--timeout <seconds>', 'with --wait: give up after this long (exit 6)', seconds, 120)
    .action(async (options: ResetFlags, command: Command) => {
      outcome.exitCode = await resetCommand(options, targetFlags(command));
    });

  program
    .command('rehearse')
    .description(
      'the night before: every scenario in turn, each expected alert to Firing and back to Normal after reset, nothing else firing',
    )
    .option('--json', 'one JSON object per line: the run events, one per table row, then the outcome')
    .option('--report <file>', 'also write the table as Markdown to this file')
    .argument('[scenarios...]', `only these, in this order (default: ${rehearsedScenarioNames.join(', ')})`)
    .option('--seed <n>', 'seed for reproducible arrivals and journeys', wholeNumber('seed', 0, 4294967295))
    .action(async (names: string[], options: RehearseFlags, command: Command) => {
      outcome.exitCode = await rehearseCommand(names, options, targetFlags(command));
    });

  program
    .command('status')
    .description("each service's health, readiness and faults, the stock, and the alert states")
    .option('--json', 'one JSON object')
    .action(async (options: { json?: boolean }, command: Command) => {
      outcome.exitCode = await statusCommand(options, targetFlags(command));
    });

  program
    .command('silence')
    .description('keep one alert quiet for a while: it still fires in Grafana, but no receiver is told')
    .argument('<alert>', `one of ${alertCatalog.map((alert) => alert.uid).join(', ')}`)
    .requiredOption('--for <duration>', 'how long: 90s, 10m, 1h30m (at most 24h)')
    .option('--match <label=value>', 'only the instances with this label (repeatable)', collect, [])
    .option('--comment <text>', 'why, shown with the silence')
    .action(
      async (
        alert: string,
        options: { for: string; match: string[]; comment?: string },
        command: Command,
      ) => {
        outcome.exitCode = await silenceCommand({ alert, ...options }, targetFlags(command));
      },
    );

  program
    .command('silences')
    .description('the active silences: what they match, who made them, time left')
    .option('--json', 'one JSON array')
    .action(async (options: { json?: boolean }, command: Command) => {
      outcome.exitCode = await silencesCommand(options, targetFlags(command));
    });

  program
    .command('unsilence')
    .description('lift a silence by id, or --all the silences shopfast-sim made')
    .argument('[id]', 'the silence id (shopfast-sim silences lists them)')
    .option('--all', 'every active silence made by shopfast-sim')
    .action(async (id: string | undefined, options: { all?: boolean }, command: Command) => {
      outcome.exitCode = await unsilenceCommand(id, options, targetFlags(command));
    });

  program
    .command('stage')
    .description(
      'the stage console: a page to project, with every alert live, the traffic and one-click controls (booth mode too)',
    )
    .option('--port <port>', 'port to serve the page on', wholeNumber('port', 0, 65535), 8070)
    .option(
      '--host <address>',
      'address to listen on (0.0.0.0: every interface, as in a container)',
      '127.0.0.1',
    )
    .action(async (options: StageFlags, command: Command) => {
      outcome.exitCode = await stageCommand(options, targetFlags(command));
    });

  program
    .command('check')
    .description(
      'preflight before a talk: services, Prometheus, Loki, Grafana data sources and rules, alerts Normal or still resolving',
    )
    .option('--wait', 'while alerts are only resolving (exit 8), wait until every one is Normal')
    .option('--timeout <seconds>', 'with --wait: give up after this long (exit 8)', seconds, 120)
    .action(async (options: CheckFlags, command: Command) => {
      outcome.exitCode = await checkCommand(options, targetFlags(command));
    });

  return program;
}

/**
 * Parses and runs one command line (`argv` as process.argv: node, script, then the arguments) and
 * returns its exit code; usage errors and failures are reported on stderr, never thrown.
 */
export async function runCommandLine(argv: readonly string[]): Promise<ExitCode> {
  const outcome: Outcome = { exitCode: exitCodes.ok };
  try {
    await buildProgram(outcome).parseAsync([...argv]);
    return outcome.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message; help and --version exit 0, anything else is a usage error.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`shopfast-sim: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(
      `shopfast-sim: unexpected failure: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    return exitCodes.failure;
  }
}
