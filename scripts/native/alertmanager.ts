// Alertmanager for the native stack: upstream's (Debian's prometheus-alertmanager, 0.25), with the
// notification design Grafana's own Alertmanager gets on the Docker stack, rendered for this
// stack's frontend (grafana/src/notifications-alertmanager.ts). The rule preview posts its alert
// instances to it, as Grafana's ruler posts to its Alertmanager, and its receivers tell the status page.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { defaultTarget } from '../../grafana/src/notifications-alertmanager.ts';
import { renderAlertmanager } from '../../grafana/src/render.ts';
import { startChild, type ManagedChild } from './child-process.ts';
import { findOnPath } from './find-binary.ts';
import { listenAddress } from './ports.ts';
import { waitUntilReady } from './wait-ready.ts';

export interface AlertmanagerOptions {
  port: number;
  /** The address to listen on. */
  host: string;
  /** Gets alertmanager/: its config, templates, secret files and data. */
  workDir: string;
  /** Gets alertmanager.log. */
  logDir: string;
  /** The status page's webhook every receiver delivers to. */
  webhookUrl: string;
  /** ALERT_WEBHOOK_SECRET, sent as `Authorization: Bearer`. */
  webhookSecret: string;
  /** Adds the Slack receiver, as SLACK_WEBHOOK_URL does for Grafana. */
  slackWebhookUrl?: string;
}

export interface RunningAlertmanager {
  url: string;
  child: ManagedChild;
  /** The alertmanager.yml it runs with (for amtool). */
  configFile: string;
}

/** Debian's prometheus-alertmanager, or an `alertmanager` binary (Homebrew, release tarballs); null when neither. */
export function findAlertmanagerBinary(): string | null {
  return findOnPath('prometheus-alertmanager', 'alertmanager');
}

/** Writes alertmanager.yml, the templates and the secret files (owner-only); returns the config's path. */
export async function writeAlertmanagerConfig(dir: string, options: AlertmanagerOptions): Promise<string> {
  await mkdir(dir, { recursive: true });
  const secrets: [string, string][] = [[defaultTarget.webhookSecretFile, options.webhookSecret]];
  if (options.slackWebhookUrl && defaultTarget.slackUrlFile)
    secrets.push([defaultTarget.slackUrlFile, options.slackWebhookUrl]);
  for (const [file, secret] of secrets) {
    await writeFile(join(dir, file), secret, { mode: 0o600 });
    await chmod(join(dir, file), 0o600);
  }
  // The secret files' paths are relative: Alertmanager reads them from the config's folder.
  const files = renderAlertmanager(
    { slack: Boolean(options.slackWebhookUrl) },
    { ...defaultTarget, webhookUrl: options.webhookUrl },
  );
  for (const [file, content] of files) await writeFile(join(dir, file), content);
  return join(dir, 'alertmanager.yml');
}

/** Writes the config and spawns Alertmanager with fresh data (not yet ready). */
export async function spawnAlertmanager(
  binary: string,
  options: AlertmanagerOptions,
): Promise<RunningAlertmanager> {
  const dir = join(options.workDir, 'alertmanager');
  return runAlertmanager(binary, await writeAlertmanagerConfig(dir, options), options);
}

/** Spawns Alertmanager on a config already written, its data beside it (not yet ready). */
export function runAlertmanager(
  binary: string,
  configFile: string,
  options: Pick<AlertmanagerOptions, 'host' | 'port' | 'logDir'>,
): RunningAlertmanager {
  const dir = dirname(configFile);
  const url = `http://127.0.0.1:${options.port}`;
  const child = startChild({
    name: 'alertmanager',
    command: binary,
    args: [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=${listenAddress(options.host, options.port)}`,
      // The address its notifications and silences link to (its default is the host name).
      `--web.external-url=${url}`,
      // One Alertmanager, no cluster: an empty address turns off the gossip port (9094 by default).
      '--cluster.listen-address=',
    ],
    cwd: dir,
    env: process.env,
    output: 'quiet',
    logFile: join(options.logDir, 'alertmanager.log'),
  });
  return { url, child, configFile };
}

/** Resolves once /-/ready answers 200. */
export function waitForAlertmanager(alertmanager: RunningAlertmanager, signal?: AbortSignal): Promise<void> {
  return waitUntilReady(`${alertmanager.url}/-/ready`, {
    what: 'alertmanager',
    timeoutMs: 30_000,
    child: alertmanager.child,
    signal,
  });
}
