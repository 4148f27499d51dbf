import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';

export interface TestProducts {
  /** Inserts a product of this test file only (seed stock = stock), so tests never fight over stock. */
  create(stock: number, options?: { lowStockThreshold?: number; priceCents?: number }): Promise<string>;
  stockOf(sku: string): Promise<number>;
  /** A tag unique to this run, for skus that must not exist. */
  readonly runTag: string;
  /** Deletes the products and the orders that contain them; call it in afterAll. */
  remove(): Promise<void>;
}

export function testProducts(db: postgres.Sql, prefix: string, createdBy: string): TestProducts {
  const runTag = randomUUID().slice(0, 8);
  const created: string[] = [];
  return {
    runTag,
    async create(stock, { lowStockThreshold = 3, priceCents = 1250 } = {}) {
      const sku = `${prefix}-${runTag}-${created.length + 1}`;
      created.push(sku);
      await db`
        INSERT INTO products (sku, name, description, price_cents, stock, seed_stock, low_stock_threshold)
        VALUES (${sku}, 'Test product', ${`Created by ${createdBy}`}, ${priceCents}, ${stock}, ${stock}, ${lowStockThreshold})`;
      return sku;
    },
    async stockOf(sku) {
      const [row] = await db<{ stock: number }[]>`SELECT stock FROM products WHERE sku = ${sku}`;
      if (!row) throw new Error(`no product ${sku}`);
      return row.stock;
    },
    async remove() {
      await db`DELETE FROM orders WHERE id IN (SELECT order_id FROM order_items WHERE sku = ANY(${created}))`;
      await db`DELETE FROM products WHERE sku = ANY(${created})`;
    },
  };
}
