import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { prometheusConfig } from './prometheus.ts';

const dir = await mkdtemp(join(tmpdir(), 'shopfast-prom-config-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const targets = [
  { name: 'api', port: 18080 },
  { name: 'payment', port: 18082 },
];

describe('prometheusConfig', () => {
  it('passes promtool check config', async () => {
    const file = join(dir, 'prometheus.yml');
    await writeFile(file, prometheusConfig(targets, 1, 19090));
    // Rejects (failing the test) when promtool finds the file invalid or is missing.
    const { stdout } = await promisify(execFile)('promtool', ['check', 'config', file]);
    expect(stdout).toMatch(/SUCCESS/);
  });

  it('scrapes each service as its own job, labelled service=<name>, and itself, at the given interval', () => {
    const config = parse(prometheusConfig(targets, 5, 19090)) as {
      global: Record<string, string>;
      scrape_configs: { job_name: string; honor_labels: boolean; static_configs: unknown[] }[];
    };
    expect(config.global).toMatchObject({ scrape_interval: '5s', scrape_timeout: '5s' });
    expect(config.scrape_configs).toEqual([
      {
        job_name: 'api',
        honor_labels: true,
        static_configs: [{ targets: ['127.0.0.1:18080'], labels: { service: 'api' } }],
      },
      {
        job_name: 'payment',
        honor_labels: true,
        static_configs: [{ targets: ['127.0.0.1:18082'], labels: { service: 'payment' } }],
      },
      // As on the Docker stack: series without a service label that the rules must leave out.
      { job_name: 'prometheus', static_configs: [{ targets: ['127.0.0.1:19090'] }] },
    ]);
  });
});
