// The api's product listing on a bare Hono app (no kit middleware): the baseline the kit is compared to.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { registerProductRoutes } from '../services/api/products.ts';
import { createDb, type KitEnv } from '../services/kit/index.ts';

const databaseUrl = process.env.DATABASE_URL;
const port = Number(process.env.PORT);
if (!databaseUrl || !port) throw new Error('set DATABASE_URL and PORT');

const sql = createDb(databaseUrl, 'bench-bare');
const app = new Hono<KitEnv>();
registerProductRoutes(app, sql);
const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log('listening'));
process.once('SIGTERM', () => server.close(() => void sql.end().then(() => process.exit(0))));
