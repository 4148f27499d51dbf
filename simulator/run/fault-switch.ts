import type { FaultSettings } from '../../domain/faults.ts';
import type { FaultPlan } from '../scenarios/scenario.ts';
import type { ServiceName } from '../../domain/services.ts';
import { serviceNames } from '../../domain/services.ts';
import type { ShopClient } from '../clients/shop-client.ts';

export interface FaultSwitchOptions {
  /** How long each fault set lives on the service unless renewed (default 30 s). */
  ttlSeconds?: number;
  /** How often the faults in force are set again (default a third of the time to live). */
  renewEveryMs?: number;
}

/** How long a scenario's faults live unless renewed (README says so, generated from here). */
export const scenarioFaultTtlSeconds = 30;

/** What the switch needs of the shop: each service's fault API. */
export type FaultShop = Pick<ShopClient, 'setFaults' | 'resetFaults'>;

/**
 * Sets a phase's faults and remembers every service it touched, so undoAll() can clear them all,
 * whatever happened in between (an error, Ctrl-C, a failed request). Faults are set with a short
 * time to live and renewed while the scenario runs: if the simulator dies without undoing them
 * (SIGKILL, a laptop gone to sleep), the services switch them off by themselves soon after.
 */
export class FaultSwitch {
  private readonly touched = new Set<ServiceName>();
  private inForce: FaultPlan = {};
  private readonly ttlSeconds: number;
  private readonly renewEveryMs: number;
  private renewal: NodeJS.Timeout | undefined;
  // One change at a time: a renewal still under way must not set faults again after an undo.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly shop: FaultShop,
    options: FaultSwitchOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? scenarioFaultTtlSeconds;
    this.renewEveryMs = options.renewEveryMs ?? (this.ttlSeconds * 1000) / 3;
  }

  get current(): FaultPlan {
    return this.inForce;
  }

  /** Faults of the new phase in force; kinds and services faulted before but not now are cleared. */
  apply(plan: FaultPlan): Promise<void> {
    return this.serially(async () => {
      for (const service of serviceNames) {
        const faults = plan[service];
        if (faults) {
          this.touched.add(service);
          await this.shop.setFaults(service, {
            ...switchedOff(this.inForce[service]),
            ...faults,
            ttlSeconds: this.ttlSeconds,
          });
        } else if (this.inForce[service]) {
          await this.shop.resetFaults(service);
        }
      }
      this.inForce = plan;
      this.renewal ??= setInterval(() => void this.renew(), this.renewEveryMs).unref();
    });
  }

  /** Clears every service this switch touched; returns the services it could not clear. */
  undoAll(): Promise<{ undone: ServiceName[]; failed: { service: ServiceName; reason: string }[] }> {
    clearInterval(this.renewal);
    this.renewal = undefined;
    return this.serially(async () => {
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
    });
  }

  /** Sets the faults in force again with a fresh time to live; a service that misses one tries the next. */
  private renew(): Promise<void> {
    return this.serially(async () => {
      if (!this.renewal) return;
      for (const service of serviceNames) {
        const faults = this.inForce[service];
        if (faults)
          await this.shop.setFaults(service, { ...faults, ttlSeconds: this.ttlSeconds }).catch(() => {});
      }
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => {});
    return next;
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

/** The same kinds at 0, so a phase that drops one of them switches it off. */
function switchedOff(faults: FaultSettings | undefined): FaultSettings {
  return Object.fromEntries(Object.keys(faults ?? {}).map((kind) => [kind, 0]));
}
