import { alertCatalog, type AlertDefinition } from '../../domain/alerts.ts';
import { activeInstances, instanceName } from '../alerts/instances.ts';
import type { OpenedAlertSource } from '../alerts/open-source.ts';
import type { AlertStateSource } from '../alerts/state-source.ts';
import { ruleStateText, sourceHeading, sourcePrefix, statesUnknown } from '../display/format.ts';
import { CliError, exitCodes, type ExitCode } from '../errors.ts';
import type { RuleStatus } from '../alerts/state-source.ts';
import { serviceNames, type ServiceName } from '../../domain/services.ts';
import type { FaultKind, FaultReport, FaultSettings } from '../../domain/faults.ts';
import type { InventoryItem, Readiness } from '../clients/shop-client.ts';
import type { TargetFlags } from '../clients/targets.ts';
import { commandContext } from '../context.ts';
import { activeSilences, describeMatchers } from '../alerts/silences.ts';

interface ServiceStatus {
  service: ServiceName;
  url: string;
  reachable: boolean;
  healthy: boolean;
  readiness?: Readiness;
  /** Only the faults that are not zero; undefined when they could not be read. */
  faults?: FaultSettings;
  /** When each of those goes off by itself (ISO 8601). */
  faultsExpireAt?: FaultReport['expiresAt'];
  problem?: string;
}

interface StatusReport {
  services: ServiceStatus[];
  stock?: {
    products: number;
    low: { sku: string; stock: number; lowStockThreshold: number }[];
    soldOut: string[];
  };
  /** Where the alert states come from: Grafana, else the preview computed from the rule file. */
  alertSource: AlertStateSource['kind'] | null;
  /** Why there are no alert states (alerts is null). */
  alertsUnavailable?: string;
  alerts:
    | {
        uid: string;
        title: string;
        state: string;
        health: string;
        /** "Pending 12 s, fires at ~10 s" */
        detail: string;
        lastError?: string;
        /** The instances that are not Normal. */
        instances: NonNullable<RuleStatus['instances']>;
      }[]
    | null;
  /** Active silences (what they match, until when); absent when no Alertmanager answers. */
  silences?: { id: string; matches: string; endsAt: string; createdBy: string }[];
  silencesUnavailable?: string;
}

async function settle<T>(work: Promise<T>): Promise<{ value?: T; problem?: string }> {
  try {
    return { value: await work };
  } catch (error) {
    if (error instanceof CliError) return { problem: error.message };
    throw error;
  }
}

function activeFaults(faults: FaultReport['faults']): FaultSettings {
  return Object.fromEntries(Object.entries(faults).filter(([, value]) => value !== 0));
}

/** "4m 05s" or "12s": how long until an ISO time, from now. */
function timeLeft(iso: string | undefined, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((Date.parse(iso ?? '') - now) / 1000));
  if (Number.isNaN(seconds)) return 'unknown';
  return seconds >= 60
    ? `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`
    : `${seconds}s`;
}

export async function statusCommand(
  options: { json?: boolean },
  targetFlags: TargetFlags,
): Promise<ExitCode> {
  const { targets, shop, openAlerts, openAlertmanager } = commandContext(targetFlags);
  const services = await Promise.all(
    serviceNames.map(async (service): Promise<ServiceStatus> => {
      const url = targets.services[service];
      const health = await settle(shop.health(service));
      if (health.problem) return { service, url, reachable: false, healthy: false, problem: health.problem };
      const readiness = await settle(shop.readiness(service));
      const faults = targets.adminToken ? await settle(shop.faults(service)) : { problem: 'no admin token' };
      return {
        service,
        url,
        reachable: true,
        healthy: health.value === true,
        ...(readiness.value ? { readiness: readiness.value } : {}),
        ...(faults.value
          ? { faults: activeFaults(faults.value.faults), faultsExpireAt: faults.value.expiresAt }
          : { problem: `faults unknown: ${faults.problem}` }),
      };
    }),
  );
  const inventory = await settle(shop.inventory());
  const opened = await openAlerts();
  let alerts: Pick<StatusReport, 'alertSource' | 'alerts' | 'alertsUnavailable'>;
  try {
    alerts = await alertStates(opened);
  } finally {
    await opened.close();
  }
  const silences = await settle(openAlertmanager().then(activeSilences));
  const report: StatusReport = {
    services,
    ...(inventory.value ? { stock: stockSummary(inventory.value) } : {}),
    ...alerts,
    ...(silences.value
      ? {
          silences: silences.value.map((s) => ({
            id: s.id,
            matches: describeMatchers(s),
            endsAt: s.endsAt,
            createdBy: s.createdBy,
          })),
        }
      : { silencesUnavailable: silences.problem }),
  };
  if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else printStatus(report, targets.grafanaUrl);
  return services.every((s) => s.reachable) ? exitCodes.ok : exitCodes.unreachable;
}

function stockSummary(items: InventoryItem[]): NonNullable<StatusReport['stock']> {
  return {
    products: items.length,
    low: items
      .filter((item) => item.stock <= item.lowStockThreshold)
      .map(({ sku, stock, lowStockThreshold }) => ({ sku, stock, lowStockThreshold })),
    soldOut: items.filter((item) => item.stock === 0).map((item) => item.sku),
  };
}

async function alertStates(
  opened: OpenedAlertSource,
): Promise<Pick<StatusReport, 'alertSource' | 'alerts' | 'alertsUnavailable'>> {
  if (!opened.source) {
    return {
      alertSource: null,
      alerts: null,
      ...(opened.unavailable ? { alertsUnavailable: opened.unavailable } : {}),
    };
  }
  const alertSource = opened.source.kind;
  let statuses: Map<string, RuleStatus>;
  try {
    statuses = await opened.source.ruleStatuses();
  } catch (error) {
    if (error instanceof CliError) return { alertSource, alerts: null, alertsUnavailable: error.message };
    throw error;
  }
  const now = Date.now();
  return {
    alertSource,
    alerts: alertCatalog.map((alert) => {
      const status = statuses.get(alert.uid);
      return {
        uid: alert.uid,
        title: alert.title,
        state: status?.state ?? 'not loaded',
        health: status?.health ?? '-',
        detail: status ? `${ruleStateText(status, now)}${instancesSuffix(alert, status)}` : 'not loaded',
        instances: status?.instances ?? [],
        ...(status?.lastError ? { lastError: status.lastError } : {}),
      };
    }),
  };
}

/** " (service=api Firing, service=frontend Pending)" for a rule with several instances. */
function instancesSuffix(alert: AlertDefinition, status: RuleStatus): string {
  if (alert.instanceLabels.length === 0) return '';
  const active = activeInstances(alert, status).map((instance) =>
    [instanceName(instance.labels), instance.state].filter(Boolean).join(' '),
  );
  return active.length > 0 ? ` (${active.join(', ')})` : '';
}

function printStatus(report: StatusReport, grafanaUrl: string): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  printServicesAndStock(report, out);
  printAlerts(report, grafanaUrl, out);
  if (report.silences === undefined) out(`silences  unknown (${report.silencesUnavailable})`);
  else if (report.silences.length === 0) out('silences  none');
  else
    out(
      `silences  ${report.silences.map((s) => `${s.matches} (${timeLeft(s.endsAt)} left, ${s.createdBy}, id ${s.id})`).join('; ')}`,
    );
}

function printServicesAndStock(report: StatusReport, out: (line: string) => void): void {
  out('services');
  for (const s of report.services) {
    if (!s.reachable) {
      out(`  ✗ ${s.service.padEnd(9)} ${s.problem}`);
      continue;
    }
    const ready = s.readiness?.ready ? 'ready' : `not ready (${JSON.stringify(s.readiness?.checks ?? {})})`;
    const faults = s.faults
      ? Object.keys(s.faults).length === 0
        ? 'no faults'
        : `faults ${Object.entries(s.faults)
            .map(
              ([kind, value]) =>
                `${kind}=${value} (off in ${timeLeft(s.faultsExpireAt?.[kind as FaultKind])})`,
            )
            .join(' ')}`
      : s.problem;
    out(
      `  ${s.healthy && s.readiness?.ready ? '✓' : '✗'} ${s.service.padEnd(9)} ${s.healthy ? 'healthy' : 'unhealthy'}, ${ready} · ${faults}`,
    );
  }
  if (report.stock) {
    const low = report.stock.low.map((p) => `${p.sku} ${p.stock}/${p.lowStockThreshold}`).join(', ');
    out(
      `stock     ${report.stock.products} products · ${report.stock.low.length} at or below threshold${low ? ` (${low})` : ''} · ${report.stock.soldOut.length} sold out`,
    );
  } else {
    out('stock     unknown (inventory not reachable)');
  }
}

function printAlerts(report: StatusReport, grafanaUrl: string, out: (line: string) => void): void {
  if (report.alerts === null || report.alertSource === null) {
    out(`alerts    ${report.alertsUnavailable ?? statesUnknown(report.alertSource)}`);
    return;
  }
  out(`alerts    (${sourceHeading(report.alertSource, grafanaUrl)})`);
  const width = Math.max(...report.alerts.map((a) => a.title.length));
  for (const alert of report.alerts) {
    const error = alert.lastError ? `: ${alert.lastError.slice(0, 120)}` : '';
    const health = alert.health === 'ok' ? '' : ` (${alert.health}${error})`;
    out(`  ${alert.title.padEnd(width)}  ${sourcePrefix(report.alertSource)}${alert.detail}${health}`);
  }
}
