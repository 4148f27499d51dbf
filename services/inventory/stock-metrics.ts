import type { Logger } from 'pino';
import client from 'prom-client';
import type { InventoryItem } from '../../domain/contracts/stock.ts';

// A scrape must not hang on a slow or stopped database: past this the gauges keep their last values.
const refreshTimeoutMs = 1_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * inventory_stock_level{sku} and inventory_low_stock_products, read from the products table at
 * scrape time: one small query per scrape (Prometheus scrapes every 5 s), and the figures are right
 * whoever changed the stock (a reset, an operator with psql). Both gauges share one read per scrape.
 */
export function registerStockGauges(
  registry: client.Registry,
  readStock: () => Promise<InventoryItem[]>,
  logger: Logger,
): void {
  let refreshing: Promise<void> | undefined;
  const refresh = (): Promise<void> =>
    (refreshing ??= withTimeout(readStock(), refreshTimeoutMs)
      .then((items) => {
        level.reset();
        for (const item of items) level.set({ sku: item.sku }, item.stock);
        low.set(items.filter((item) => item.stock <= item.lowStockThreshold).length);
      })
      .catch((err: unknown) => logger.warn({ err }, 'stock gauges not refreshed'))
      .finally(() => {
        refreshing = undefined;
      }));

  const level = new client.Gauge({
    name: 'inventory_stock_level',
    help: 'Units in stock, by product',
    labelNames: ['sku'] as const,
    registers: [registry],
    collect: refresh,
  });
  const low = new client.Gauge({
    name: 'inventory_low_stock_products',
    help: 'Products whose stock is at or below their low-stock threshold',
    registers: [registry],
    collect: refresh,
  });
}
