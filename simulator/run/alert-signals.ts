import { alertByUid, type AlertDefinition } from '../../domain/alerts.ts';
import type { FaultSettings } from '../../domain/faults.ts';
import { serviceNames, type ServiceName } from '../../domain/services.ts';
import type { InventoryItem, ShopAdmin } from '../clients/shop-client.ts';
import { faultList } from '../display/format.ts';
import { phasedScenario } from '../scenarios/registry.ts';
import { faultedServices } from '../scenarios/scenario.ts';
import { clearFaults } from './reset.ts';

// The shop's side of each alert: what keeps its condition true, and what `reset` does for it
// alone. `trigger` clears one alert's signal before firing it again; `check` tells an alert whose
// signal is gone (it is resolving) from one something still holds up.

/** What `reset` clears for an alert: its scenario's faults, the stock, or the failed-login streak. */
export type SignalKind = 'faults' | 'stock' | 'logins';

/** The shop's signals as they stand; each read only when an alert of its kind asks. */
export interface ShopSignals {
  /** Services with a fault in force, and those faults. */
  faults?: { service: ServiceName; faults: FaultSettings }[];
  stock?: InventoryItem[];
  /** Failed logins the failed-logins rule counts now. */
  failedLogins?: number;
}

export interface AlertSignal {
  kind: SignalKind;
  /** What clearing it does, in words: "the failed-login streak". */
  clears: string;
  /** What still holds the alert's condition true, in words; undefined when nothing does. */
  heldBy(signals: ShopSignals): string | undefined;
  /** What reset does for this alert alone; says what it cleared. */
  clear(shop: ShopAdmin): Promise<string>;
}

const crosses = (alert: AlertDefinition, value: number) =>
  alert.threshold.op === 'gt' ? value > alert.threshold.value : value < alert.threshold.value;

/** A stock rule: `value` is what its query returns per product, compared as the catalog says. */
function stockSignal(alert: AlertDefinition, value: (item: InventoryItem) => number): AlertSignal {
  return {
    kind: 'stock',
    clears: 'the stock (back to seed levels)',
    heldBy: ({ stock = [] }) => {
      const low = stock.filter((item) => crosses(alert, value(item)));
      if (low.length === 0) return undefined;
      return `stock still low: ${low.map((item) => `${item.sku} at ${item.stock}`).join(', ')}`;
    },
    clear: async (shop) => `stock back to seed levels (${await shop.resetStock()} products)`,
  };
}

function loginSignal(alert: AlertDefinition): AlertSignal {
  return {
    kind: 'logins',
    clears: 'the failed-login streak',
    heldBy: ({ failedLogins = 0 }) =>
      crosses(alert, failedLogins) ? `${failedLogins} failed logins in the last 5 minutes` : undefined,
    clear: async (shop) => `failed-login streak cleared (${await shop.resetLogins()} attempts)`,
  };
}

/** A rule of rates or log counts: held up while its scenarios' faults are in force; then its window drains. */
function faultSignal(alert: AlertDefinition): AlertSignal {
  const services = [...new Set(alert.scenarios.flatMap((name) => faultedServices(phasedScenario(name))))];
  return {
    kind: 'faults',
    clears: `the faults on ${services.join(', ')} (then its window drains)`,
    heldBy: ({ faults = [] }) => {
      const inForce = faults.filter(({ service }) => services.includes(service));
      if (inForce.length === 0) return undefined;
      return `faults in force: ${faultList(Object.fromEntries(inForce.map(({ service, faults }) => [service, faults])))}`;
    },
    clear: async (shop) => {
      const cleared = await clearFaults(shop, services);
      const kinds = cleared.map(({ service, kinds }) => `${service} ${kinds.join(' ')}`);
      return `faults cleared on ${services.join(', ')} (${kinds.length > 0 ? `were in force: ${kinds.join('; ')}` : 'none were in force'})`;
    },
  };
}

/**
 * The rules whose signal only `reset` clears, each as its query reads the shop: the headroom above
 * the low-stock threshold, the stock, the failed-login count. Every other rule rates or counts
 * what its scenario's faults cause.
 */
const resetSignals: Record<string, (alert: AlertDefinition) => AlertSignal> = {
  'low-inventory': (alert) => stockSignal(alert, (item) => item.stock - item.lowStockThreshold),
  'critical-inventory': (alert) => stockSignal(alert, (item) => item.stock),
  'failed-logins': loginSignal,
};

export function alertSignal(alert: AlertDefinition): AlertSignal {
  return (resetSignals[alert.uid] ?? faultSignal)(alert);
}

/** Reads the signals the given alerts need (admin token required for faults and logins). */
export async function readShopSignals(shop: ShopAdmin, uids: readonly string[]): Promise<ShopSignals> {
  const kinds = new Set(
    uids.flatMap((uid) => {
      const alert = alertByUid(uid);
      return alert ? [alertSignal(alert).kind] : [];
    }),
  );
  const signals: ShopSignals = {};
  if (kinds.has('faults')) signals.faults = await faultsInForce(shop);
  if (kinds.has('stock')) signals.stock = await shop.inventory();
  if (kinds.has('logins')) signals.failedLogins = await shop.failedLoginStreak();
  return signals;
}

async function faultsInForce(shop: ShopAdmin): Promise<NonNullable<ShopSignals['faults']>> {
  const reports = await Promise.all(serviceNames.map((service) => shop.faults(service)));
  return reports.flatMap((report) => {
    const faults = Object.fromEntries(Object.entries(report.faults).filter(([, value]) => value !== 0));
    return Object.keys(faults).length > 0 ? [{ service: report.service, faults }] : [];
  });
}
