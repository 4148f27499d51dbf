import { Command, InvalidArgumentError, Option } from 'commander';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { dirname, relative, resolve } from 'node:path';
import { defaultPorts, infrastructurePorts, serviceNames } from '../../domain/services.ts';
import { repoRoot, stackFilePath } from './paths.ts';
import { PortInUseError } from './ports.ts';
import { redactPassword } from './postgres.ts';
import {
  stackInfoOf,
  startNativeStack,
  type NativeStack,
  type ServiceName,
  type StartOptions,
} from './stack.ts';

/**
 * `npm run native` / `./start-demo.sh --native`: the whole demo without Docker. Prints the URLs and
 * secrets, writes them to .native/stack.json for the simulator, and on Ctrl-C or SIGTERM stops
 * everything and removes the throwaway data.
 */

type CliOptions = Partial<Record<`${ServiceName}Port`, number>> & {
  randomPorts?: boolean;
  prometheusPort?: number;
  alertmanagerPort?: number;
  postgresPort?: number;
  prometheus: boolean;
  alertmanager: boolean;
  scrapeInterval: number;
  lokiUrl?: string;
  fromDist?: boolean;
  host: string;
  stackFile: string;
};

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new InvalidArgumentError('a port is a whole number 1-65535');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 60)
    throw new InvalidArgumentError('a whole number of seconds, 1-60');
  return n;
}

function listenAddress(value: string): string {
  if (isIP(value) === 0) throw new InvalidArgumentError('an IP address such as 127.0.0.1 or 0.0.0.0');
  return value;
}

function lokiUrl(value: string): string {
  if (!/^https?:$/.test(URL.parse(value)?.protocol ?? '')) {
    throw new InvalidArgumentError('an http(s) URL such as http://127.0.0.1:3100');
  }
  return value;
}

const program = new Command('shopfast-native')
  .description(
    'Run ShopFast without Docker: a throwaway PostgreSQL, the four services, Prometheus and Alertmanager.',
  )
  .option(
    '--random-ports',
    `use free random ports for everything (default: the ports below, and ${infrastructurePorts.loki} for Loki)`,
  );
for (const name of serviceNames) {
  program.option(`--${name}-port <port>`, `${name} port (default ${defaultPorts[name]})`, port);
}
program
  .option('--prometheus-port <port>', `Prometheus port (default ${infrastructurePorts.prometheus})`, port)
  .option(
    '--alertmanager-port <port>',
    `Alertmanager port (default ${infrastructurePorts.alertmanager})`,
    port,
  )
  .option(
    '--postgres-port <port>',
    `PostgreSQL port (default ${infrastructurePorts.postgres}; unused with DATABASE_URL)`,
    port,
  )
  .option('--no-prometheus', 'do not start Prometheus even if it is installed')
  .option('--no-alertmanager', 'do not start Alertmanager even if it is installed')
  .option('--scrape-interval <seconds>', 'Prometheus scrape interval', seconds, 5)
  .option(
    '--loki-url <url>',
    'push service logs to this Loki (default: LOKI_URL, else a built-in stand-in)',
    lokiUrl,
  )
  .option('--from-dist', 'run the compiled services from dist/ (npm run build first)')
  .option(
    '--host <address>',
    'where the services and Prometheus listen; 0.0.0.0 opens them to the network (PostgreSQL stays on 127.0.0.1)',
    listenAddress,
    '127.0.0.1',
  )
  .addOption(
    new Option('--stack-file <path>', 'where to write the stack description')
      // Resolved now: the runner changes into the repository root before it writes the file.
      .argParser((path: string) => resolve(path))
      .default(stackFilePath, '.native/stack.json'),
  )
  .addHelpText(
    'after',
    '\nEnvironment: DATABASE_URL (use that database instead of a throwaway one), ADMIN_TOKEN,\n' +
      'ALERT_WEBHOOK_SECRET (generated when unset), LOKI_URL, PG_BIN_DIR (folder with initdb, pg_ctl),\n' +
      "SLACK_WEBHOOK_URL (adds Alertmanager's Slack receiver).",
  );

function startOptionsFrom(cli: CliOptions, signal: AbortSignal): StartOptions {
  const fixedPorts = Object.fromEntries(
    serviceNames.flatMap((name) => (cli[`${name}Port`] ? [[name, cli[`${name}Port`]]] : [])),
  ) as Partial<Record<ServiceName, number>>;
  return {
    ports: cli.randomPorts ? 'random' : fixedPorts,
    prometheusPort: cli.prometheusPort,
    alertmanagerPort: cli.alertmanagerPort,
    postgresPort: cli.postgresPort,
    prometheus: cli.prometheus,
    alertmanager: cli.alertmanager,
    scrapeIntervalSeconds: cli.scrapeInterval,
    lokiUrl: cli.lokiUrl,
    fromDist: cli.fromDist,
    host: cli.host,
    output: 'inherit',
    onProgress: (message) => console.log(`» ${message}`),
    signal,
  };
}

// The shop front first: that is the page presenters open.
const displayOrder: readonly ServiceName[] = ['frontend', 'api', 'payment', 'inventory'];

function printSummary(stack: NativeStack, stackFile: string, host: string): void {
  const reach =
    host === '127.0.0.1'
      ? 'this machine only (--host 0.0.0.0 opens it)'
      : 'open to the network: anyone there can shop, log in and read /metrics';
  const rows: [string, string][] = [
    ['listening on', `${host}, ${reach}`],
    ...displayOrder.map((name): [string, string] => [name, stack.urls[name]]),
    ['prometheus', stack.prometheusUrl ?? 'not running (install it: apt-get install prometheus)'],
    [
      'alertmanager',
      stack.alertmanagerUrl
        ? `${stack.alertmanagerUrl} (alertmanager/alertmanager.yml: its receivers tell the status page)`
        : 'not running (install it: apt-get install prometheus-alertmanager)',
    ],
    [
      'loki',
      stack.lokiStandIn
        ? `${stack.lokiUrl} (stand-in: records pushes, answers the alert rule's query)`
        : (stack.lokiUrl ?? ''),
    ],
    ['postgres', redactPassword(stack.databaseUrl) + (stack.postgres ? ' (throwaway)' : '')],
    ['admin token', stack.adminToken],
    ['webhook secret', stack.webhookSecret],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log('\nShopFast is running natively:');
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
  const inRepo = relative(repoRoot, stackFile);
  const shown = inRepo && !inRepo.startsWith('..') ? inRepo : stackFile;
  console.log(`\nStack file: ${shown} (the simulator reads it)`);
  console.log('Press Ctrl-C to stop everything.\n');
}

async function writeStackFile(stack: NativeStack, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // It holds the admin token: owner-only, also when an older file is overwritten.
  await writeFile(path, JSON.stringify(stackInfoOf(stack), null, 2) + '\n', { mode: 0o600 });
  await chmod(path, 0o600);
}

async function main(): Promise<void> {
  const cli = program.parse().opts<CliOptions>();
  process.chdir(repoRoot);
  const startup = new AbortController();
  const began = Date.now();
  // Settles once startup has finished either way; on failure it has already stopped what it started.
  const starting = startNativeStack(startOptionsFrom(cli, startup.signal));
  let stopping: Promise<void> | undefined;

  const shutdown = (reason: string, exitCode: number): Promise<void> =>
    (stopping ??= (async () => {
      console.log(`\n» ${reason}: stopping the native stack`);
      startup.abort(new Error(`startup cancelled (${reason})`));
      try {
        const stack = await starting.catch(() => undefined);
        await stack?.stop();
        await rm(cli.stackFile, { force: true });
        console.log('» stopped; throwaway data removed');
      } catch (err) {
        console.error(`» stopping failed: ${(err as Error).message}`);
        exitCode = 1;
      }
      process.exit(exitCode);
    })());

  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('uncaughtException', (err) => {
    console.error(err);
    void shutdown('unexpected error', 1);
  });

  let stack: NativeStack;
  try {
    stack = await starting;
  } catch (err) {
    if (stopping) return; // Ctrl-C during startup: shutdown() reports and exits.
    console.error(
      err instanceof PortInUseError
        ? `» ${err.message} (--random-ports picks free ones)`
        : `» could not start the native stack: ${(err as Error).message}`,
    );
    process.exit(1);
  }
  if (stopping) return;
  try {
    await writeStackFile(stack, cli.stackFile);
  } catch (err) {
    console.error(`» could not write ${cli.stackFile}: ${(err as Error).message}`);
    return shutdown('no stack file', 1);
  }
  console.log(`» ready in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  printSummary(stack, cli.stackFile, cli.host);
}

await main();
