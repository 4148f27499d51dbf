import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startChild, type ManagedChild } from './child-process.ts';
import { findOnPath } from './find-binary.ts';
import { listenAddress } from './ports.ts';
import { waitUntilReady } from './wait-ready.ts';

export interface ScrapeTarget {
  /** Becomes both the job and the service label of every series scraped from it. */
  name: string;
  port: number;
}

export interface PrometheusOptions {
  port: number;
  targets: ScrapeTarget[];
  scrapeIntervalSeconds: number;
  /** The address to listen on (its targets are always scraped on 127.0.0.1). */
  host: string;
  /** Holds prometheus.yml and the TSDB. */
  workDir: string;
  /** Gets prometheus.log: its output, too chatty for the terminal. */
  logDir: string;
}

export interface RunningPrometheus {
  url: string;
  child: ManagedChild;
}

/** The prometheus binary from PATH, or null when it is not installed. */
export function findPrometheusBinary(): string | null {
  return findOnPath('prometheus');
}

/**
 * One job per service. honor_labels keeps the service label the services already put on their
 * series (the same value) instead of renaming it to exported_service. Prometheus scrapes itself
 * too, as on the Docker stack (prometheus/prometheus.yml): its series carry no service label, and
 * the rules must not mistake them for a service.
 */
export function prometheusConfig(
  targets: ScrapeTarget[],
  scrapeIntervalSeconds: number,
  ownPort: number,
): string {
  const interval = `${scrapeIntervalSeconds}s`;
  const jobs = targets.map((t) =>
    [
      `  - job_name: ${t.name}`,
      `    honor_labels: true`,
      `    static_configs:`,
      `      - targets: ['127.0.0.1:${t.port}']`,
      `        labels:`,
      `          service: ${t.name}`,
    ].join('\n'),
  );
  return [
    '# Written by the native runner (scripts/native/prometheus.ts).',
    'global:',
    `  scrape_interval: ${interval}`,
    `  scrape_timeout: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'scrape_configs:',
    ...jobs,
    '  - job_name: prometheus',
    '    static_configs:',
    `      - targets: ['127.0.0.1:${ownPort}']`,
    '',
  ].join('\n');
}

/** Writes the config and spawns Prometheus on host:port with a fresh TSDB (not yet ready). */
export async function spawnPrometheus(
  binary: string,
  options: PrometheusOptions,
): Promise<RunningPrometheus> {
  const configFile = join(options.workDir, 'prometheus.yml');
  const dataDir = join(options.workDir, 'tsdb');
  await mkdir(dataDir, { recursive: true });
  await writeFile(configFile, prometheusConfig(options.targets, options.scrapeIntervalSeconds, options.port));
  const child = startChild({
    name: 'prometheus',
    command: binary,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=${listenAddress(options.host, options.port)}`,
      '--storage.tsdb.retention.time=1d',
      // Keeps the exemplars (trace ids) the services expose in OpenMetrics when tracing is on.
      '--enable-feature=exemplar-storage',
    ],
    cwd: options.workDir,
    env: process.env,
    output: 'quiet',
    logFile: join(options.logDir, 'prometheus.log'),
  });
  return { url: `http://127.0.0.1:${options.port}`, child };
}

/** Resolves once /-/ready answers 200 (under a second on an idle machine). */
export function waitForPrometheus(prometheus: RunningPrometheus, signal?: AbortSignal): Promise<void> {
  return waitUntilReady(`${prometheus.url}/-/ready`, {
    what: 'prometheus',
    timeoutMs: 30_000,
    child: prometheus.child,
    signal,
  });
}
