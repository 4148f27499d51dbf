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

/** Stock in PostgreSQL. The only writer of products.stock; every change is one atomic statement. */
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

  /** Why a change was refused, from a plain read: unknown skus first, then the lines that do not fit. */
  async function refusal(lines: StockLine[], sign: 1 | -1): Promise<HttpError> {
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
   * Adds (sign 1) or takes (sign -1) every line's quantity, all lines or none, in ONE statement: the
   * rows are locked in sku order (two multi-item orders cannot deadlock), checked together, and
   * updated only if every line fits. Locks are held for the statement alone, never across a round
   * trip to the client, so buyers racing for one product queue for microseconds, not milliseconds.
   */
  async function change(lines: StockLine[], sign: 1 | -1): Promise<StockChange[]> {
    const skus = lines.map((l) => l.sku);
    const deltas = lines.map((l) => sign * l.quantity);
    const rows = await sql<(ItemRow & { previous: number })[]>`
      WITH wanted AS (
        SELECT * FROM unnest(${skus}::text[], ${deltas}::int[]) AS w(sku, delta)
      ), locked AS (
        SELECT p.sku, p.stock AS previous, w.delta FROM products p JOIN wanted w ON w.sku = p.sku
        ORDER BY p.sku FOR UPDATE OF p
      ), verdict AS (
        SELECT count(*) = ${lines.length}
           AND coalesce(bool_and(previous + delta BETWEEN 0 AND ${maxStock}), false) AS fits
        FROM locked
      )
      UPDATE products p SET stock = p.stock + l.delta
      FROM locked l, verdict v
      WHERE v.fits AND p.sku = l.sku
      RETURNING p.sku, p.stock, p.low_stock_threshold, p.seed_stock, l.previous`;
    if (rows.length !== lines.length) throw await refusal(lines, sign);
    return rows.map((row) => ({ item: toItem(row), previousStock: row.previous }));
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
