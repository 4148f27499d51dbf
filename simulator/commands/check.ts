import { alertCatalog } from '../../domain/alerts.ts';
import { datasourceUids } from '../../grafana/src/index.ts';
import { CliError, describeFetchFailure, exitCodes, type ExitCode } from '../errors.ts';
import type { GrafanaClient } from '../clients/grafana-client.ts';
import { serviceNames } from '../../domain/services.ts';
import type { ShopClient } from '../clients/shop-client.ts';
import type { Targets, TargetFlags } from '../clients/targets.ts';
import { commandContext, type CommandContext } from '../context.ts';
import type { AlertStateSource } from '../alerts/state-source.ts';
import { judgeActiveAlerts, type ActiveAlertVerdict } from '../alerts/resolving.ts';
import { waitUntilNormalReported } from '../alerts/wait-for-normal.ts';
import { instanceList, sourcePrefix } from '../display/format.ts';
import { createReporter } from '../display/reporter.ts';

export interface CheckResult {
  ok: boolean;
  label: string;
  /** What to do about a failed check. */
  fix?: string;
  /** Not ok yet, but on its way back by itself: about this many seconds left at most. */
  secondsLeft?: number;
}

export interface CheckFlags {
  /** While alerts are only resolving, wait until they are Normal. */
  wait?: boolean;
  timeout: number;
}

/** ready: every check ✓; resolving: nothing broken, but alerts still on their way back to Normal. */
export type CheckVerdict = 'ready' | 'resolving' | 'failed';

const startStack = 'start the stack (./start-demo.sh, docker compose up -d, or npm run native)';

export function verdictOf(results: readonly CheckResult[]): CheckVerdict {
  if (results.some((result) => !result.ok && result.secondsLeft === undefined)) return 'failed';
  return results.some((result) => !result.ok) ? 'resolving' : 'ready';
}

const verdictExitCodes: Record<CheckVerdict, ExitCode> = {
  ready: exitCodes.ok,
  resolving: exitCodes.resolving,
  failed: exitCodes.checkFailed,
};

/** One line per check: ✓ ok, ⋯ still resolving, ✗ failed with its fix. */
export function checkLine(result: CheckResult): string {
  if (result.ok) return `✓ ${result.label}`;
  if (result.secondsLeft !== undefined) return `⋯ ${result.label}`;
  return `✗ ${result.label} — ${result.fix}`;
}

/** The last line: ready, still resolving (how long at most), or how many checks failed. */
export function verdictLine(results: readonly CheckResult[]): string {
  const verdict = verdictOf(results);
  if (verdict === 'ready') return 'Ready for the demo.';
  if (verdict === 'failed')
    return `${results.filter((result) => !result.ok && result.secondsLeft === undefined).length} check(s) failed.`;
  const left = Math.max(...results.map((result) => result.secondsLeft ?? 0));
  return `Still resolving: every alert Normal in ≈ ${left} s at most (shopfast-sim check --wait waits for it).`;
}

/**
 * The alert states as checks: ✓ when every rule is Normal; per active alert, ⋯ when its signal is
 * cleared and it is on its way back, ✗ when something still holds it up.
 */
export function alertChecks(
  verdicts: readonly ActiveAlertVerdict[],
  kind: AlertStateSource['kind'],
): CheckResult[] {
  const prefix = sourcePrefix(kind);
  if (verdicts.length === 0) return [{ ok: true, label: `${prefix}no alert firing or pending` }];
  return verdicts.map((alert) => {
    const name = `${prefix}${alert.uid} ${alert.state}${instanceList(alert)}`;
    if (alert.verdict === 'resolving') {
      return {
        ok: false,
        label: `${name}: still resolving (≈ ${alert.secondsLeft} s left), nothing holds it up any more`,
        secondsLeft: alert.secondsLeft,
      };
    }
    return {
      ok: false,
      label: `${name}: ${alert.heldBy}`,
      fix: alert.clears
        ? `shopfast-sim reset clears ${alert.clears}; then shopfast-sim check --wait`
        : "read the rule's error in Grafana (Alerting → Alert rules)",
    };
  });
}

/** The alert checks against the source and the shop's signals as they stand. */
export async function checkAlerts(source: AlertStateSource, shop: ShopClient): Promise<CheckResult[]> {
  return alertChecks(await judgeActiveAlerts(await source.ruleStatuses(), shop), source.kind);
}

/** Every preflight check: services, Prometheus, Loki, Grafana, then the alert states. */
export async function runChecks(
  context: CommandContext,
  alerts: AlertStateSource | null,
  unavailable = '',
): Promise<CheckResult[]> {
  const { targets, shop, grafana } = context;
  return [
    ...(await checkServices(shop, targets)),
    await checkPrometheus(targets.prometheusUrl),
    await checkLoki(targets.lokiUrl),
    ...(await checkGrafana(grafana)),
    ...(alerts
      ? await checkAlerts(alerts, shop)
      : [{ ok: false, label: `alert states unknown: ${unavailable}`, fix: startStack }]),
  ];
}

/** Preflight before a talk: every line ✓, ⋯ (still resolving) or ✗ with the fix; --wait waits out ⋯. */
export async function checkCommand(flags: CheckFlags, targetFlags: TargetFlags): Promise<ExitCode> {
  const context = commandContext(targetFlags);
  const alerts = await context.openAlerts();
  const print = (lines: string[]) => process.stdout.write(lines.map((line) => `${line}\n`).join(''));
  try {
    const results = await runChecks(context, alerts.source, alerts.unavailable);
    print(results.map(checkLine));
    if (verdictOf(results) !== 'resolving' || !flags.wait || !alerts.source) {
      print([verdictLine(results)]);
      return verdictExitCodes[verdictOf(results)];
    }
    await waitForResolving(alerts.source, flags.timeout);
    const alertsNow = await checkAlerts(alerts.source, context.shop);
    const after = [...results.filter((result) => result.ok), ...alertsNow];
    print([...alertsNow.map(checkLine), verdictLine(after)]);
    return verdictExitCodes[verdictOf(after)];
  } finally {
    await alerts.close();
  }
}

/** Waits, showing what is still active, until every rule is Normal or the timeout passes. */
async function waitForResolving(source: AlertStateSource, timeoutSeconds: number) {
  const reporter = createReporter(process.stdout.isTTY ? 'live' : 'plain');
  try {
    return await waitUntilNormalReported({
      source,
      timeoutSeconds,
      reason: 'while they resolve',
      onEvent: (event) => reporter.onEvent(event),
    });
  } finally {
    reporter.close();
  }
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
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    results.push({ ok: false, label: error.message, fix: 'set GRAFANA_USER and GRAFANA_PASSWORD' });
  }
  return results;
}
