import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { serviceNames } from '../../domain/services.ts';
import { repoRoot } from '../../scripts/native/paths.ts';
import { findPrometheusBinary } from '../../scripts/native/prometheus.ts';
import { stackInfoOf, startNativeStack, type StackInfo } from '../../scripts/native/stack.ts';
import { queryPrometheus } from './prometheus.ts';
import { waitFor } from './wait-for.ts';

/** What Node, Go (Prometheus, Alertmanager) and PostgreSQL say when a port is taken. */
const portTaken = /EADDRINUSE|address already in use|could not bind/i;

export interface TestStack {
  info: StackInfo;
  /** The runner's Loki stand-in (see loki.ts), or null when LOKI_URL names a real Loki. */
  lokiRecorderUrl: string | null;
  stop(): Promise<void>;
}

/**
 * A native stack for tests: PostgreSQL, the four services, Prometheus scraping every second (ready
 * once it has scraped each service), the Loki stand-in (unless LOKI_URL names a real Loki) and
 * Alertmanager, on random free ports. On CI its service logs
 * outlive the run in test-results/native-logs/<name>/ (upload test-results/ as an artifact), so a
 * failed job shows what the services said; locally they go with the stack's temp dir.
 */
export async function startTestStack(name: string): Promise<TestStack> {
  if (!findPrometheusBinary()) {
    // Not a skip: tests that query Prometheus fail, and say so. CI installs it.
    console.warn(
      `[${name} stack] prometheus is not on PATH: the stack runs without it (apt-get install prometheus)`,
    );
  }
  const started = Date.now();
  const logDir = process.env.CI ? join(repoRoot, 'test-results', 'native-logs', name) : undefined;
  if (logDir) await rm(logDir, { recursive: true, force: true });
  const start = () =>
    startNativeStack({
      logDir,
      ports: 'random',
      prometheus: true,
      scrapeIntervalSeconds: 1,
      output: 'quiet',
    });
  // Random ports are free when chosen; another stack starting beside this one may bind one first.
  const stack = await start().catch((err: unknown) => {
    if (!portTaken.test(String(err))) throw err;
    console.warn(`[${name} stack] a chosen port was taken before it was bound; starting again on others`);
    return start();
  });
  if (stack.prometheusUrl) {
    // Tests read the services' series from the start: wait for a first scrape of every service.
    const prometheusUrl = stack.prometheusUrl;
    await waitFor(
      `Prometheus to scrape the ${serviceNames.length} services`,
      async () => {
        const up = `count(up{job=~"${serviceNames.join('|')}"} == 1)`;
        return (await queryPrometheus(prometheusUrl, up))[0]?.value === serviceNames.length;
      },
      { timeoutMs: 30_000 },
    );
  }
  console.log(
    `[native stack "${name}"] ready in ${Date.now() - started} ms; service logs in ${stack.logDir}`,
  );
  return {
    info: stackInfoOf(stack),
    lokiRecorderUrl: stack.lokiStandIn ? stack.lokiUrl : null,
    stop: () => stack.stop(),
  };
}
