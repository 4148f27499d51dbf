import type { FaultPlan, ServiceName } from './scenarios/scenario.ts';
import { serviceNames } from './scenarios/scenario.ts';
import type { ShopClient } from './shop-client.ts';

/**
 * Sets a phase's faults and remembers every service it touched, so undoAll() can clear them all,
 * whatever happened in between (an error, Ctrl-C, a failed request).
 */
export class FaultSwitch {
  private readonly touched = new Set<ServiceName>();
  private inForce: FaultPlan = {};

  constructor(private readonly shop: ShopClient) {}

  get current(): FaultPlan {
    return this.inForce;
  }

  /** Faults of the new phase in force; services faulted before but not now are cleared. */
  async apply(plan: FaultPlan): Promise<void> {
    for (const service of serviceNames) {
      const faults = plan[service];
      if (faults) {
        this.touched.add(service);
        await this.shop.setFaults(service, faults);
      } else if (this.inForce[service]) {
        await this.shop.resetFaults(service);
      }
    }
    this.inForce = plan;
  }

  /** Clears every service this switch touched; returns the services it could not clear. */
  async undoAll(): Promise<{ undone: ServiceName[]; failed: { service: ServiceName; reason: string }[] }> {
    const undone: ServiceName[] = [];
    const failed: { service: ServiceName; reason: string }[] = [];
    for (const service of this.touched) {
      try {
        await this.resetWithRetry(service);
        undone.push(service);
      } catch (error) {
        failed.push({ service, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    this.touched.clear();
    this.inForce = {};
    return { undone, failed };
  }

  private async resetWithRetry(service: ServiceName): Promise<void> {
    try {
      await this.shop.resetFaults(service);
    } catch {
      // One retry: a service busy burning CPU may miss the first deadline.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await this.shop.resetFaults(service);
    }
  }
}
