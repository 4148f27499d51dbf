import type { FaultKind, FaultReport } from '../../domain/faults.ts';
import type { ServiceName } from '../../domain/services.ts';
import type { IncidentCounts, InventoryItem, ShopAdmin } from '../clients/shop-client.ts';

/**
 * The shop's admin side in memory for unit tests: faults per service, stock, a failed-login
 * streak and incidents, changed by the same calls the services answer; `calls` lists them in order.
 */
export class FakeShop implements ShopAdmin {
  readonly calls: string[] = [];
  faultsInForce: Partial<Record<ServiceName, Partial<Record<FaultKind, number>>>> = {};
  stock: InventoryItem[] = [];
  failedLogins = 0;
  incidents: IncidentCounts = { open: 0, resolved: 0 };

  faults(service: ServiceName): Promise<FaultReport> {
    this.calls.push(`faults ${service}`);
    return Promise.resolve({ service, faults: { ...this.faultsInForce[service] }, expiresAt: {} });
  }

  resetFaults(service: ServiceName): Promise<FaultReport> {
    this.calls.push(`resetFaults ${service}`);
    delete this.faultsInForce[service];
    return Promise.resolve({ service, faults: {}, expiresAt: {} });
  }

  resetStock(): Promise<number> {
    this.calls.push('resetStock');
    this.stock = this.stock.map((item) => ({ ...item, stock: item.seedStock }));
    return Promise.resolve(this.stock.length);
  }

  resetLogins(): Promise<number> {
    this.calls.push('resetLogins');
    const cleared = this.failedLogins;
    this.failedLogins = 0;
    return Promise.resolve(cleared);
  }

  clearIncidents(): Promise<IncidentCounts> {
    this.calls.push('clearIncidents');
    const cleared = this.incidents;
    this.incidents = { open: 0, resolved: 0 };
    return Promise.resolve(cleared);
  }

  inventory(): Promise<InventoryItem[]> {
    this.calls.push('inventory');
    return Promise.resolve(this.stock);
  }

  failedLoginStreak(): Promise<number> {
    this.calls.push('failedLoginStreak');
    return Promise.resolve(this.failedLogins);
  }
}
