import type { FaultKind } from '../../domain/faults.ts';
import { serviceNames, type ServiceName } from '../../domain/services.ts';
import type { IncidentCounts, ShopAdmin } from '../clients/shop-client.ts';

/** The faults that were in force on a service when they were cleared. */
export interface ClearedFaults {
  service: ServiceName;
  kinds: FaultKind[];
}

export interface ResetOutcome {
  /** The services whose faults were switched off. */
  faultsCleared: ServiceName[];
  /** Of those, the ones that had a fault in force, and which. */
  faultsInForce: ClearedFaults[];
  productsRestocked: number;
  failedLoginsCleared: number;
  /** The status page's incidents cleared; null when kept. */
  incidentsCleared: IncidentCounts | null;
}

export interface ResetOptions {
  /** Empty the status page too (`reset`); a sequence's reset between parts keeps it. */
  clearIncidents: boolean;
}

/** Switches every fault off on these services; returns the faults that were in force. */
export async function clearFaults(
  shop: ShopAdmin,
  services: readonly ServiceName[] = serviceNames,
): Promise<ClearedFaults[]> {
  const inForce: ClearedFaults[] = [];
  for (const service of services) {
    const before = await shop.faults(service);
    await shop.resetFaults(service);
    const kinds = (Object.entries(before.faults) as [FaultKind, number][])
      .filter(([, value]) => value !== 0)
      .map(([kind]) => kind);
    if (kinds.length > 0) inForce.push({ service, kinds });
  }
  return inForce;
}

/**
 * Every fault off, stock back to seed levels, the failed-login streak cleared and, when asked, the
 * status page emptied. Safe to repeat.
 */
export async function resetEverything(shop: ShopAdmin, options: ResetOptions): Promise<ResetOutcome> {
  const faultsInForce = await clearFaults(shop);
  const productsRestocked = await shop.resetStock();
  const failedLoginsCleared = await shop.resetLogins();
  const incidentsCleared = options.clearIncidents ? await shop.clearIncidents() : null;
  return {
    faultsCleared: [...serviceNames],
    faultsInForce,
    productsRestocked,
    failedLoginsCleared,
    incidentsCleared,
  };
}
