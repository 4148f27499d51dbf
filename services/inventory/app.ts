import type { Hono } from 'hono';
import { z } from 'zod';
import {
  releaseRequest,
  reserveRequest,
  skuParams,
  skuSchema,
  type Reservation,
  type ReservationReply,
} from '../../domain/contracts/stock.ts';
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
import { createReservationStore } from './reservations.ts';
import { createStockStore } from './stock.ts';
import { registerStockGauges } from './stock-metrics.ts';

export interface InventoryDeps {
  sql: Sql;
}

const restockRequest = z.object({ sku: skuSchema, quantity: z.number().int().min(1).max(100_000) });

export function createInventoryApp(kit: ServiceKit, { sql }: InventoryDeps): Hono<KitEnv> {
  const store = createStockStore(sql);
  const reservations = createReservationStore(sql);
  registerStockGauges(kit.metrics.registry, () => store.list(), kit.logger);
  const app = createServiceApp(kit, { postgres: () => sql`SELECT 1` });

  const reply = async (reservation: Reservation): Promise<ReservationReply> => ({
    reservation,
    items: await store.list(reservation.items.map((l) => l.sku)),
  });

  app.get('/inventory', async (c) => c.json({ items: await store.list() }));

  app.get('/inventory/:sku', params(skuParams), async (c) => {
    const { sku } = c.req.valid('param');
    const item = await store.get(sku);
    if (!item) throw new HttpError(404, 'unknown_sku', `Unknown sku: ${sku}`);
    return c.json({ item });
  });

  app.post('/inventory/reserve', jsonBody(reserveRequest), async (c) => {
    const { orderId, items, holdMs } = c.req.valid('json');
    const log = c.get('logger').child({ orderId });
    const { reservation, changes } = await reservations.reserve(orderId, items, holdMs, c.get('deadline'));
    if (changes.length === 0) {
      log.info({ status: reservation.status }, 'reservation repeated; nothing changed');
      return c.json(await reply(reservation));
    }
    logLowStockCrossings(log, changes);
    return c.json({ reservation, items: changes.map((change) => change.item) } satisfies ReservationReply);
  });

  app.post('/inventory/release', jsonBody(releaseRequest), async (c) => {
    const { orderId } = c.req.valid('json');
    const reservation = await reservations.release(orderId);
    c.get('logger').info({ orderId, status: reservation.status }, 'reservation released');
    return c.json(await reply(reservation));
  });

  app.post('/inventory/restock', jsonBody(restockRequest), async (c) => {
    const line = c.req.valid('json');
    const item = await store.restock(line);
    c.get('logger').info({ sku: line.sku, quantity: line.quantity, stock: item.stock }, 'product restocked');
    return c.json({ item });
  });

  app.post('/admin/stock/reset', async (c) => {
    const reset = await store.resetToSeed();
    c.get('logger').warn({ reset }, 'stock reset to seed levels');
    return c.json({ reset });
  });

  return app;
}
