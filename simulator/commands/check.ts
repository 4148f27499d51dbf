import { alertCatalog } from '../../domain/alerts.ts';
import { datasourceUids } from '../../grafana/src/index.ts';
import { CliError, describeFetchFailure, exitCodes, type ExitCode } from '../errors.ts';
import type { GrafanaClient } from '../clients/grafana-client.ts';
import { serviceNames } from '../../domain/services.ts';
import type { ShopClient } from '../clients/shop-client.ts';
import type { Targets, TargetFlags } from '../clients/targets.ts';
import { commandContext } from '../context.ts';

export interface CheckResult {
  ok: boolean;
  label: string;
  /** What to do about a failed check. */
  fix?: string;
}

const startStack = 'start the stack (./start-demo.sh, docker compose up -d, or npm run native)';

/** Preflight before a talk: every line ✓ or ✗ with the fix. */
export async function checkCommand(targetFlags: TargetFlags): Promise<ExitCode> {
  const { targets, shop, grafana } = commandContext(targetFlags);
  const results = [
    ...(await checkServices(shop, targets)),
    await checkPrometheus(targets.prometheusUrl),
    await checkLoki(targets.lokiUrl),
    ...(await checkGrafana(grafana)),
  ];
  for (const result of results) {
    process.stdout.write(result.ok ? `✓ ${result.label}\n` : `✗ ${result.label} — ${result.fix}\n`);
  }
  const failed = results.filter((result) => !result.ok).length;
  process.stdout.write(failed === 0 ? 'Ready for the demo.\n' : `${failed} check(s) failed.\n`);
  return failed === 0 ? exitCodes.ok : exitCodes.checkFailed;
}

async function checkServices(shop: ShopClient, targets: Targets): Promise<CheckResult[]> {
  return Promise.all(
    serviceNames.map(async (service): Promise<CheckResult> => {
      try {
        const readiness = await shop.readiness(service);
        if (readiness.ready) return { ok: true, label: `${service} ready at ${targets.services[service]}` };
        return {
          ok: false,
          label: `${service} not ready: ${JSON.stringify(readiness.checks)}`,
          fix: 'check that PostgreSQL and the downstream services run',
        };
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        return { ok: false, label: error.message, fix: startStack };
      }
    }),
  );
}

async function getJson(url: string): Promise<{ status: number; body: unknown; text: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(4_000) });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

/** Every one of the four services has a scrape target that is up (other targets, Prometheus's own, do not count). */
export async function checkPrometheus(prometheusUrl: string): Promise<CheckResult> {
  try {
    const { body } = await getJson(`${prometheusUrl}/api/v1/targets?state=active`);
    const targets = (
      body as { data?: { activeTargets?: { health: string; labels: Record<string, string> }[] } }
    ).data?.activeTargets;
    if (!targets)
      return { ok: false, label: 'Prometheus answered oddly', fix: 'is PROMETHEUS_URL a Prometheus?' };
    const health = (service: string) =>
      targets.find((target) => target.labels.service === service)?.health ?? 'missing';
    const problems = serviceNames
      .map((service) => ({ service, health: health(service) }))
      .filter(({ health }) => health !== 'up');
    const scraped = `${serviceNames.length - problems.length}/${serviceNames.length} services`;
    if (problems.length === 0) return { ok: true, label: `Prometheus scrapes ${scraped} (all up)` };
    const missing = problems.filter(({ health }) => health === 'missing');
    return {
      ok: false,
      label: `Prometheus scrapes ${scraped}: ${problems.map(({ service, health }) => `${service} ${health === 'missing' ? 'has no target' : 'is down'}`).join(', ')}`,
      fix:
        missing.length > 0
          ? 'Prometheus does not scrape every service: check its config (prometheus/prometheus.yml)'
          : startStack,
    };
  } catch (error) {
    return {
      ok: false,
      label: `Prometheus not reachable at ${prometheusUrl} (${describeFetchFailure(error)})`,
      fix: 'start Prometheus or set PROMETHEUS_URL',
    };
  }
}

export async function checkLoki(lokiUrl: string): Promise<CheckResult> {
  try {
    const { status, text } = await getJson(`${lokiUrl}/ready`);
    if (status === 200) return { ok: true, label: `Loki ready at ${lokiUrl}` };
    return {
      ok: false,
      label: `Loki not ready: ${text.trim().slice(0, 100)}`,
      fix: 'wait ~15 s after start-up',
    };
  } catch (error) {
    return {
      ok: false,
      label: `Loki not reachable at ${lokiUrl} (${describeFetchFailure(error)})`,
      fix: 'start Loki (docker compose up -d loki) or set LOKI_URL',
    };
  }
}

export async function checkGrafana(grafana: GrafanaClient): Promise<CheckResult[]> {
  if (!(await grafana.reachable())) {
    return [
      {
        ok: false,
        label: `Grafana not reachable at ${grafana.baseUrl}`,
        fix: 'start Grafana (docker compose up -d grafana) or set GRAFANA_URL',
      },
    ];
  }
  const results: CheckResult[] = [{ ok: true, label: `Grafana reachable at ${grafana.baseUrl}` }];
  try {
    for (const uid of Object.values(datasourceUids)) {
      const health = await grafana.datasourceHealth(uid);
      results.push(
        health.ok
          ? { ok: true, label: `data source ${uid} healthy` }
          : {
              ok: false,
              label: `data source ${uid}: ${health.status} ${health.message}`.trim(),
              fix: `open Grafana → Connections → Data sources → ${uid} → Test, and start what it cannot reach`,
            },
      );
    }
    const statuses = await grafana.ruleStatuses();
    const missing = alertCatalog.filter((alert) => !statuses.has(alert.uid)).map((alert) => alert.uid);
    results.push(
      missing.length === 0
        ? { ok: true, label: `all ${alertCatalog.length} alert rules loaded` }
        : {
            ok: false,
            label: `alert rules not loaded: ${missing.join(', ')}`,
            fix: 'run npm run grafana:build, then restart Grafana and read its log for provisioning errors',
          },
    );
    const firing = [...statuses.values()].filter((status) => status.state !== 'Normal');
    results.push(
      firing.length === 0
        ? { ok: true, label: 'no alert firing or pending' }
        : {
            ok: false,
            label: `not Normal: ${firing.map((status) => `${status.uid} (${status.state})`).join(', ')}`,
            fix: 'run shopfast-sim reset --wait (it returns once every alert is Normal)',
          },
    );
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    results.push({ ok: false, label: error.message, fix: 'set GRAFANA_USER and GRAFANA_PASSWORD' });
  }
  return results;
}
