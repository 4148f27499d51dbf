// GET /api/products served two ways for the kit-overhead benchmark: `kit` is the real api app (request
// ids, access log, metrics, faults, error envelope), `bare` the same route handler on a bare Hono app.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Agent } from 'undici';
import { createApiApp } from '../services/api/app.ts';
import { createDownstream } from '../services/api/downstream.ts';
import { registerProductRoutes } from '../services/api/products.ts';
import { loadApiSettings } from '../services/api/settings.ts';
import { createDb, createKit, runService, type KitEnv } from '../services/kit/index.ts';

const mode = process.argv[2];
if (mode === 'kit') {
  const settings = loadApiSettings();
  const kit = createKit(settings);
  const sql = createDb(settings.databaseUrl, 'bench-kit');
  const dispatcher = new Agent();
  const downstream = (name: string, baseUrl: string) => createDownstream({ name, baseUrl, dispatcher });
  const app = createApiApp(kit, {
    sql,
    inventory: downstream('inventory', settings.inventoryUrl),
    payment: downstream('payment', settings.paymentUrl),
    timeouts: settings.timeouts,
    scryptLimits: settings.scryptLimits,
  });
  runService(kit, app, [() => sql.end({ timeout: 5 }), () => dispatcher.close()]);
} else if (mode === 'bare') {
  const sql = createDb(process.env.DATABASE_URL ?? '', 'bench-bare');
  const app = new Hono<KitEnv>();
  registerProductRoutes(app, sql);
  const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
  process.once('SIGTERM', () => server.close(() => void sql.end().then(() => process.exit(0))));
} else {
  throw new Error('usage: products-server.ts kit|bare (with DATABASE_URL and PORT set)');
}
