import { Agent } from 'undici';
import { createDb, createKit, loadConfig, runService } from '../kit/index.ts';
import { createApiApp } from './app.ts';
import { createDownstream } from './downstream.ts';
import { orderTimeoutsFrom, shutdownAfterOrdersMs } from './order-timeouts.ts';

const kit = createKit(loadConfig('api'));
const { config } = kit;
const timeouts = orderTimeoutsFrom(process.env);
const sql = createDb(config.databaseUrl, 'shopfast-api');
// One keep-alive pool for both downstream services; idle sockets close before the servers' own timeout.
const dispatcher = new Agent({ keepAliveTimeout: 4_000, connections: 64 });
const inventory = createDownstream({ name: 'inventory', baseUrl: config.inventoryUrl, dispatcher });
const payment = createDownstream({ name: 'payment', baseUrl: config.paymentUrl, dispatcher });

runService(
  kit,
  createApiApp(kit, { sql, inventory, payment, timeouts }),
  [() => sql.end({ timeout: 5 }), () => dispatcher.close()],
  // An order in flight at SIGTERM still finishes (or releases and voids) before the process exits.
  { shutdownDeadlineMs: timeouts.orderMs + shutdownAfterOrdersMs },
);
