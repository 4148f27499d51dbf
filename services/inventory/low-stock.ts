import type { Logger } from 'pino';
import type { StockChange } from './stock.ts';

/** True when this change took the product from above its threshold to at or below it. */
export function crossedLowThreshold({ item, previousStock }: StockChange): boolean {
  return previousStock > item.lowStockThreshold && item.stock <= item.lowStockThreshold;
}

/** One warn line per product that just went low: the moment worth telling, not every sale after it. */
export function logLowStockCrossings(logger: Logger, changes: StockChange[]): void {
  for (const change of changes.filter(crossedLowThreshold)) {
    const { sku, stock, lowStockThreshold } = change.item;
    logger.warn({ sku, stock, threshold: lowStockThreshold }, 'product stock low');
  }
}
