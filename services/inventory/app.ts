import type { Hono } from 'hono';
import { z } from 'zod';
import {
  createServiceApp,
  HttpError,
  jsonBody,
  params,
  type KitEnv,
  type ServiceKit,
  type Sql,
} from '../kit/index.ts';
import { logLowStockCrossings } from './low-stock.ts';
import { skuParams, skuSchema, stockLines } from './schemas.ts';
import { createStockStore, type StockChange } from './stock.ts';
import { registerStockGauges } from './stock-metrics.ts';

export interface InventoryDeps {
  sql: Sql;
}

const linesRequest = z.object({ items: stockLines });
const restockRequest = z.object({ sku: skuSchema, quantity: z.number().int().min(1).max(100_000) });

const itemsAfter = (changes: StockChange[]) => ({ items: changes.map((change) => change.item) });

export function createInventoryApp(kit: ServiceKit, { sql }: InventoryDeps): Hono<KitEnv> {
  const store = createStockStore(sql);
  registerStockGauges(kit.metrics.registry, store.list, kit.logger);
  const app = createServiceApp(kit, { postgres: () => sql`SELECT 1` });

  app.get('/inventory', async (c) => c.json({ items: await store.list() }));

  app.get('/inventory/:sku', params(skuParams), async (c) => {
    const { sku } = c.req.valid('param');
    const item = await store.get(sku);
    if (!item) throw new HttpError(404, 'unknown_sku', `Unknown sku: ${sku}`);
    return c.json({ item });
  });

  app.post('/inventory/reserve', jsonBody(linesRequest), async (c) => {
    const changes = await store.reserve(c.req.valid('json').items);
    logLowStockCrossings(c.get('logger'), changes);
    return c.json(itemsAfter(changes));
  });

  app.post('/inventory/release', jsonBody(linesRequest), async (c) =>
    c.json(itemsAfter(await store.release(c.req.valid('json').items))),
  );

  app.post('/inventory/restock', jsonBody(restockRequest), async (c) => {
    const line = c.req.valid('json');
    const [change] = await store.restock(line);
    c.get('logger').info(
      { sku: line.sku, quantity: line.quantity, stock: change!.item.stock },
      'product restocked',
    );
    return c.json({ item: change!.item });
  });

  app.post('/admin/stock/reset', async (c) => {
    const reset = await store.resetToSeed();
    c.get('logger').warn({ reset }, 'stock reset to seed levels');
    return c.json({ reset });
  });

  return app;
}
