// PromQL and the Prometheus config, checked by Prometheus's own promtool.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { alertCatalog, signalDelaySeconds } from '../../domain/alerts.ts';
import { serviceNames } from '../../domain/services.ts';
import { buildDashboards } from './dashboards/index.ts';

const run = promisify(execFile);
const prometheusConfig = fileURLToPath(new URL('../../prometheus/prometheus.yml', import.meta.url));

/** Every `expr` of a Prometheus target in the dashboards. */
function dashboardExpressions(): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const datasource = record.datasource as { type?: string } | undefined;
      if (typeof record.expr === 'string' && datasource?.type === 'prometheus') found.push(record.expr);
      Object.values(record).forEach(visit);
    }
  };
  buildDashboards().forEach(({ dashboard }) => visit(dashboard));
  return found;
}

/** Grafana replaces its range variables before Prometheus sees the query. */
function withGrafanaVariablesReplaced(expr: string): string {
  return expr.replaceAll('$__rate_interval', '1m').replaceAll('$__range', '1h');
}

async function promtoolCheckRules(expressions: string[]): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'promtool-'));
  try {
    const rules = expressions.map((expr, index) => ({ alert: `expression_${index}`, expr }));
    const file = join(dir, 'rules.yml');
    await writeFile(file, stringify({ groups: [{ name: 'shopfast', rules }] }));
    const { stdout, stderr } = await run('promtool', ['check', 'rules', file]);
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('promtool', () => {
  it('accepts the PromQL of every Prometheus alert', async () => {
    const expressions = alertCatalog
      .filter((alert) => alert.datasource === 'prometheus')
      .map((alert) => alert.query);
    expect(expressions).toHaveLength(3);
    const result = await promtoolCheckRules(expressions);
    expect(result.output).toContain('SUCCESS: 3 rules found');
    expect(result.ok).toBe(true);
  });

  it('accepts the PromQL of every dashboard panel', async () => {
    const expressions = dashboardExpressions().map(withGrafanaVariablesReplaced);
    expect(expressions.length).toBeGreaterThan(20);
    const result = await promtoolCheckRules(expressions);
    expect(result.ok, result.output).toBe(true);
  });

  it('rejects broken PromQL (the check can fail)', async () => {
    const result = await promtoolCheckRules(['sum by (service) (rate(http_requests_total[1m])']);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/unclosed|parse error|expected/i);
  });

  it('scrapes the four services at the interval the alert timings assume', async () => {
    const config = parse(await readFile(prometheusConfig, 'utf8')) as {
      global: { scrape_interval: string };
      scrape_configs: { job_name: string; static_configs: { labels: { service: string } }[] }[];
    };
    expect(config.global.scrape_interval).toBe(`${signalDelaySeconds.prometheus}s`);
    for (const service of serviceNames) {
      const job = config.scrape_configs.find((candidate) => candidate.job_name === service);
      expect(job?.static_configs[0]?.labels.service, service).toBe(service);
    }
  });

  it('accepts prometheus/prometheus.yml', async () => {
    const { stdout } = await run('promtool', ['check', 'config', prometheusConfig]);
    expect(stdout).toContain('SUCCESS');
  });
});
