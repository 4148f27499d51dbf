import { HttpError, type Sql } from '../kit/index.ts';
import type { StockLine } from './schemas.ts';

export interface InventoryItem {
  sku: string;
  stock: number;
  lowStockThreshold: number;
  seedStock: number;
}

/** One product's stock after a change, with what it was before (to spot threshold crossings). */
export interface StockChange {
  item: InventoryItem;
  previousStock: number;
}

interface ItemRow {
  sku: string;
  stock: number;
  low_stock_threshold: number;
  seed_stock: number;
}

/** Restocks and releases stop here, far below the integer column's limit. */
export const maxStock = 1_000_000;

const toItem = (row: ItemRow): InventoryItem => ({
  sku: row.sku,
  stock: row.stock,
  lowStockThreshold: row.low_stock_threshold,
  seedStock: row.seed_stock,
});

/** Stock in PostgreSQL. The only writer of products.stock; every change is one transaction. */
export function createStockStore(sql: Sql) {
  async function list(): Promise<InventoryItem[]> {
    const rows = await sql<ItemRow[]>`
      SELECT sku, stock, low_stock_threshold, seed_stock FROM products ORDER BY sku`;
    return rows.map(toItem);
  }

  async function get(sku: string): Promise<InventoryItem | undefined> {
    const [row] = await sql<ItemRow[]>`
      SELECT sku, stock, low_stock_threshold, seed_stock FROM products WHERE sku = ${sku}`;
    return row && toItem(row);
  }

  /**
   * Adds (sign 1) or takes (sign -1) every line's quantity, all lines or none. Rows are locked in
   * sku order so two multi-item orders can never deadlock; the UPDATE keeps its own guard so stock
   * cannot go below zero even if the checks above it were wrong.
   */
  async function change(lines: StockLine[], sign: 1 | -1): Promise<StockChange[]> {
    const sorted = [...lines].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    const skus = sorted.map((l) => l.sku);
    const deltas = sorted.map((l) => sign * l.quantity);
    return sql.begin(async (tx) => {
      const locked = await tx<ItemRow[]>`
        SELECT sku, stock, low_stock_threshold, seed_stock FROM products
        WHERE sku = ANY(${skus}) ORDER BY sku FOR UPDATE`;
      const before = new Map(locked.map((row) => [row.sku, row.stock]));
      const missing = skus.filter((sku) => !before.has(sku));
      if (missing.length > 0) throw new HttpError(404, 'unknown_sku', `Unknown sku: ${missing.join(', ')}`);
      const short = sorted.filter((l) => sign < 0 && before.get(l.sku)! < l.quantity);
      if (short.length > 0) {
        const detail = short.map((l) => `${l.sku} (requested ${l.quantity}, available ${before.get(l.sku)})`);
        throw new HttpError(409, 'insufficient_stock', `Not enough stock: ${detail.join('; ')}`);
      }
      const over = sorted.filter((l) => sign > 0 && before.get(l.sku)! + l.quantity > maxStock);
      if (over.length > 0) {
        const names = over.map((l) => l.sku).join(', ');
        throw new HttpError(409, 'stock_limit_exceeded', `Stock is limited to ${maxStock} units: ${names}`);
      }
      const updated = await tx<ItemRow[]>`
        UPDATE products p SET stock = p.stock + d.delta
        FROM unnest(${skus}::text[], ${deltas}::int[]) AS d(sku, delta)
        WHERE p.sku = d.sku AND p.stock + d.delta BETWEEN 0 AND ${maxStock}
        RETURNING p.sku, p.stock, p.low_stock_threshold, p.seed_stock`;
      if (updated.length !== sorted.length) {
        throw new Error(`stock guard rejected ${sorted.length - updated.length} locked rows`);
      }
      return updated.map((row) => ({ item: toItem(row), previousStock: before.get(row.sku)! }));
    });
  }

  /** Every product back to its seed stock; returns how many products there are. */
  async function resetToSeed(): Promise<number> {
    const result = await sql`UPDATE products SET stock = seed_stock`;
    return result.count;
  }

  return {
    list,
    get,
    reserve: (lines: StockLine[]) => change(lines, -1),
    release: (lines: StockLine[]) => change(lines, 1),
    restock: (line: StockLine) => change([line], 1),
    resetToSeed,
  };
}

export type StockStore = ReturnType<typeof createStockStore>;
