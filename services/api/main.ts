import { Agent } from 'undici';
import { createDb, createKit, runService } from '../kit/index.ts';
import { createApiApp } from './app.ts';
import { createDownstream } from './downstream.ts';
import { shutdownAfterOrdersMs } from './order-timeouts.ts';
import { loadApiSettings } from './settings.ts';

const settings = loadApiSettings();
const kit = createKit(settings);
const { timeouts } = settings;
const sql = createDb(settings.databaseUrl, 'shopfast-api');
// One keep-alive pool for both downstream services; idle sockets close before the servers' own timeout.
const dispatcher = new Agent({ keepAliveTimeout: 4_000, connections: 64 });
const inventory = createDownstream({ name: 'inventory', baseUrl: settings.inventoryUrl, dispatcher });
const payment = createDownstream({ name: 'payment', baseUrl: settings.paymentUrl, dispatcher });

runService(
  kit,
  createApiApp(kit, { sql, inventory, payment, timeouts, scryptLimits: settings.scryptLimits }),
  [() => sql.end({ timeout: 5 }), () => dispatcher.close()],
  // An order in flight at SIGTERM still finishes (or releases and voids) before the process exits.
  { shutdownDeadlineMs: timeouts.orderMs + shutdownAfterOrdersMs },
);
