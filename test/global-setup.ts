import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { repoRoot } from '../scripts/native/paths.ts';
import { findPrometheusBinary } from '../scripts/native/prometheus.ts';
import { stackInfoOf, startNativeStack, type StackInfo } from '../scripts/native/stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared native stack: PostgreSQL, the four services, Prometheus (1 s scrapes). */
    stack: StackInfo;
    /** The runner's Loki stand-in (see test/support/loki.ts), or null when LOKI_URL names a real Loki. */
    lokiRecorderUrl: string | null;
  }
}

/**
 * Starts one stack for all integration tests: the native runner on random free ports, with its
 * Loki stand-in unless LOKI_URL names a real Loki. Tests read it with inject('stack').
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!findPrometheusBinary()) {
    // Not a skip: tests that query Prometheus fail, and say so. CI installs it.
    console.warn(
      '[global-setup] prometheus is not on PATH: the stack runs without it (apt-get install prometheus)',
    );
  }
  const started = Date.now();
  // On CI the logs outlive the run (test-results/ is gitignored; upload it as an artifact), so a
  // failed job shows what the services said. Locally they go with the stack's temp dir.
  const logDir = process.env.CI ? join(repoRoot, 'test-results', 'native-logs') : undefined;
  if (logDir) await rm(logDir, { recursive: true, force: true });
  const stack = await startNativeStack({
    logDir,
    ports: 'random',
    prometheus: true,
    scrapeIntervalSeconds: 1,
    output: 'quiet',
  });
  console.log(
    `[global-setup] native stack ready in ${Date.now() - started} ms; service logs in ${stack.logDir}`,
  );
  project.provide('stack', stackInfoOf(stack));
  project.provide('lokiRecorderUrl', stack.lokiStandIn ? stack.lokiUrl : null);
  return () => stack.stop();
}
