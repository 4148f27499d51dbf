import { Agent } from 'undici';
import { createDb, createKit, loadConfig, runService } from '../kit/index.ts';
import { createApiApp } from './app.ts';
import { createDownstream } from './downstream.ts';

const kit = createKit(loadConfig('api'));
const { config } = kit;
const sql = createDb(config.databaseUrl, 'shopfast-api');
// One keep-alive pool for both downstream services; idle sockets close before the servers' own timeout.
const dispatcher = new Agent({ keepAliveTimeout: 4_000, connections: 64 });
// Payment takes up to 0.5 s plus any injected latency; inventory answers in milliseconds.
const inventory = createDownstream({
  name: 'inventory',
  baseUrl: config.inventoryUrl,
  dispatcher,
  timeoutMs: 5_000,
});
const payment = createDownstream({
  name: 'payment',
  baseUrl: config.paymentUrl,
  dispatcher,
  timeoutMs: 10_000,
});

runService(kit, createApiApp(kit, { sql, inventory, payment }), [
  () => sql.end({ timeout: 5 }),
  () => dispatcher.close(),
]);
