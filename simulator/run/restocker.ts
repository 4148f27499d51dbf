/** What the restocker needs of the shop: the inventory's restock. */
export interface Restock {
  restock(sku: string, quantity: number): Promise<void>;
}

/**
 * Puts back what background traffic buys, right after each order, so that hours of it leave the
 * stock where it was: otherwise shoppers would drain every product to its low-stock margin and stop
 * buying. It puts back only its own purchases, at once, so a scenario draining stock beside it (or
 * a reset) sees the stock as it would without it. A restock that fails is tried again every round.
 */
export class PurchaseRestocker {
  private readonly owed = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Items put back so far. */
  restocked = 0;
  /** Restocks that failed (their items stay owed and are tried again). */
  failures = 0;

  constructor(
    private readonly shop: Restock,
    private readonly everyMs = 10_000,
  ) {}

  /** A purchase to put back now. */
  record(sku: string, quantity: number): void {
    this.owe(sku, quantity);
    void this.flush();
  }

  /** Items bought and not yet put back. */
  get pending(): number {
    return [...this.owed.values()].reduce((sum, quantity) => sum + quantity, 0);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.everyMs).unref();
  }

  /** Stops the rounds and puts back what is still owed. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private owe(sku: string, quantity: number): void {
    this.owed.set(sku, (this.owed.get(sku) ?? 0) + quantity);
  }

  /** Puts back everything owed now; one round at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.restockOwed());
    return this.flushing;
  }

  private async restockOwed(): Promise<void> {
    for (const [sku, quantity] of [...this.owed]) {
      this.owed.delete(sku);
      try {
        await this.shop.restock(sku, quantity);
        this.restocked += quantity;
      } catch {
        this.failures += 1;
        this.owe(sku, quantity);
      }
    }
  }
}
