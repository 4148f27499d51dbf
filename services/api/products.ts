import type { Hono } from 'hono';
import { HttpError, params, type KitEnv, type Sql } from '../kit/index.ts';
import { skuParams } from '../../domain/contracts/stock.ts';

interface ProductRow {
  sku: string;
  name: string;
  description: string;
  price_cents: number;
  stock: number;
  low_stock_threshold: number;
}

const toProduct = (row: ProductRow) => ({
  sku: row.sku,
  name: row.name,
  description: row.description,
  priceCents: row.price_cents,
  stock: row.stock,
  lowStockThreshold: row.low_stock_threshold,
});

/** GET /api/products and GET /api/products/:sku, straight from PostgreSQL. */
export function registerProductRoutes(app: Hono<KitEnv>, sql: Sql): void {
  app.get('/api/products', async (c) => {
    const rows = await sql<ProductRow[]>`
      SELECT sku, name, description, price_cents, stock, low_stock_threshold FROM products ORDER BY sku`;
    return c.json({ products: rows.map(toProduct) });
  });

  app.get('/api/products/:sku', params(skuParams), async (c) => {
    const { sku } = c.req.valid('param');
    const [row] = await sql<ProductRow[]>`
      SELECT sku, name, description, price_cents, stock, low_stock_threshold FROM products WHERE sku = ${sku}`;
    if (!row) throw new HttpError(404, 'unknown_sku', `Unknown sku: ${sku}`);
    return c.json({ product: toProduct(row) });
  });
}
