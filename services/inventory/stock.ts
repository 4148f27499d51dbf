import type postgres from 'postgres';
import type { InventoryItem, StockLine } from '../../domain/contracts/stock.ts';
import { HttpError, type Sql } from '../kit/index.ts';

/** One product's stock after a change, with what it was before (to spot threshold crossings). */
export interface StockChange {
  item: InventoryItem;
  previousStock: number;
}

export interface ItemRow {
  sku: string;
  stock: number;
  low_stock_threshold: number;
  seed_stock: number;
}

/** Restocks stop here, far below the integer column's limit. */
export const maxStock = 1_000_000;

export const toItem = (row: ItemRow): InventoryItem => ({
  sku: row.sku,
  stock: row.stock,
  lowStockThreshold: row.low_stock_threshold,
  seedStock: row.seed_stock,
});

/**
 * Why a change was refused, from a plain read: unknown skus first, then the lines that do not
 * fit (taking more than there is, or restocking past maxStock).
 */
export async function refusal(sql: Sql | postgres.TransactionSql, lines: StockLine[], sign: 1 | -1) {
  const rows = await sql<{ sku: string; stock: number }[]>`
    SELECT sku, stock FROM products WHERE sku = ANY(${lines.map((l) => l.sku)})`;
  const stock = new Map(rows.map((row) => [row.sku, row.stock]));
  const missing = lines.filter((l) => !stock.has(l.sku)).map((l) => l.sku);
  if (missing.length > 0) return new HttpError(404, 'unknown_sku', `Unknown sku: ${missing.join(', ')}`);
  if (sign > 0) {
    const over = lines.filter((l) => stock.get(l.sku)! + l.quantity > maxStock).map((l) => l.sku);
    return new HttpError(
      409,
      'stock_limit_exceeded',
      `Stock is limited to ${maxStock} units: ${over.join(', ')}`,
    );
  }
  const short = lines
    .filter((l) => stock.get(l.sku)! < l.quantity)
    .map((l) => `${l.sku} (requested ${l.quantity}, available ${stock.get(l.sku)})`);
  return new HttpError(
    409,
    'insufficient_stock',
    `Not enough stock: ${short.join('; ') || 'another order took it first'}`,
  );
}

/**
 * Stock in PostgreSQL: reads, restocks and resets. Orders take and give back stock only through
 * reservations (reservations.ts); every change is one atomic statement.
 */
export function createStockStore(sql: Sql) {
  async function list(skus?: string[]): Promise<InventoryItem[]> {
    const rows = await sql<ItemRow[]>`
      SELECT sku, stock, low_stock_threshold, seed_stock FROM products
      ${skus ? sql`WHERE sku = ANY(${skus})` : sql``} ORDER BY sku`;
    return rows.map(toItem);
  }

  async function get(sku: string): Promise<InventoryItem | undefined> {
    const [item] = await list([sku]);
    return item;
  }

  /** Adds units to one product, refusing to go past maxStock. */
  async function restock(line: StockLine): Promise<InventoryItem> {
    const [row] = await sql<ItemRow[]>`
      UPDATE products SET stock = stock + ${line.quantity}
      WHERE sku = ${line.sku} AND stock + ${line.quantity} <= ${maxStock}
      RETURNING sku, stock, low_stock_threshold, seed_stock`;
    if (!row) throw await refusal(sql, [line], 1);
    return toItem(row);
  }

  /**
   * Every product back to its seed stock; returns how many products there are. Held reservations
   * are closed in the same statement without giving their units back: those units are in the seed
   * stock again, and a release or expiry later must not add them a second time.
   */
  async function resetToSeed(): Promise<number> {
    const result = await sql`
      WITH closed AS (
        UPDATE stock_reservations SET status = 'released', settled_at = now() WHERE status = 'held'
      )
      UPDATE products SET stock = seed_stock`;
    return result.count;
  }

  return { list, get, restock, resetToSeed };
}

export type StockStore = ReturnType<typeof createStockStore>;
