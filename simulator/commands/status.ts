import { alertCatalog } from '../../grafana/src/catalog.ts';
import { CliError, exitCodes, UnreachableError, type ExitCode } from '../errors.ts';
import type { RuleStatus } from '../grafana-client.ts';
import { serviceNames, type ServiceName } from '../scenarios/scenario.ts';
import type { FaultState, InventoryItem, Readiness } from '../shop-client.ts';
import type { TargetFlags } from '../targets.ts';
import { commandContext } from './context.ts';

interface ServiceStatus {
  service: ServiceName;
  url: string;
  reachable: boolean;
  healthy: boolean;
  readiness?: Readiness;
  /** Only the faults that are not zero; undefined when they could not be read. */
  faults?: Partial<FaultState>;
  problem?: string;
}

interface StatusReport {
  services: ServiceStatus[];
  stock?: {
    products: number;
    low: { sku: string; stock: number; lowStockThreshold: number }[];
    soldOut: string[];
  };
  alerts: { uid: string; title: string; state: string; health: string }[] | null;
}

async function settle<T>(work: Promise<T>): Promise<{ value?: T; problem?: string }> {
  try {
    return { value: await work };
  } catch (error) {
    if (error instanceof CliError) return { problem: error.message };
    throw error;
  }
}

function activeFaults(faults: FaultState): Partial<FaultState> {
  return Object.fromEntries(Object.entries(faults).filter(([, value]) => value !== 0));
}

export async function statusCommand(
  options: { json?: boolean },
  targetFlags: TargetFlags,
): Promise<ExitCode> {
  const { targets, shop, grafana } = commandContext(targetFlags);
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
          ? { faults: activeFaults(faults.value) }
          : { problem: `faults unknown: ${faults.problem}` }),
      };
    }),
  );
  const inventory = await settle(shop.inventory());
  const report: StatusReport = {
    services,
    ...(inventory.value ? { stock: stockSummary(inventory.value) } : {}),
    alerts: await alertStates(grafana),
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
  grafana: ReturnType<typeof commandContext>['grafana'],
): Promise<StatusReport['alerts']> {
  let statuses: Map<string, RuleStatus>;
  try {
    statuses = await grafana.ruleStatuses();
  } catch (error) {
    if (error instanceof UnreachableError) return null;
    throw error;
  }
  return alertCatalog.map((alert) => {
    const status = statuses.get(alert.uid);
    return {
      uid: alert.uid,
      title: alert.title,
      state: status?.state ?? 'not loaded',
      health: status?.health ?? '-',
    };
  });
}

function printStatus(report: StatusReport, grafanaUrl: string): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
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
            .map(([k, v]) => `${k}=${v}`)
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
  if (report.alerts === null) {
    out(`alerts    Grafana not reachable at ${grafanaUrl} — alert states unknown`);
    return;
  }
  out(`alerts    (Grafana at ${grafanaUrl})`);
  const width = Math.max(...report.alerts.map((a) => a.title.length));
  for (const alert of report.alerts)
    out(`  ${alert.title.padEnd(width)}  ${alert.state}${alert.health === 'ok' ? '' : ` (${alert.health})`}`);
}
