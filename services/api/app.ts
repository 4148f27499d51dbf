import type { Hono } from 'hono';
import { createServiceApp, type KitEnv, type ServiceKit, type Sql } from '../kit/index.ts';
import type { Downstream } from './downstream.ts';
import { registerLoginRoutes } from './login.ts';
import { createApiMetrics } from './metrics.ts';
import type { OrderTimeouts } from './order-timeouts.ts';
import { registerOrderRoutes } from './orders.ts';
import { registerProductRoutes } from './products.ts';
import type { WorkGateLimits } from './work-gate.ts';

export interface ApiDeps {
  sql: Sql;
  inventory: Downstream;
  payment: Downstream;
  timeouts: OrderTimeouts;
  scryptLimits: WorkGateLimits;
}

/** The shop's API: products, orders (through inventory and payment) and login. */
export function createApiApp(
  kit: ServiceKit,
  { sql, inventory, payment, timeouts, scryptLimits }: ApiDeps,
): Hono<KitEnv> {
  const metrics = createApiMetrics(kit.metrics.registry);
  const app = createServiceApp(
    kit,
    {
      postgres: () => sql`SELECT 1`,
      inventory: () => inventory.health(),
      payment: () => payment.health(),
    },
    { maxRequestMs: timeouts.orderMs },
  );
  registerProductRoutes(app, sql);
  registerOrderRoutes(app, { sql, inventory, payment, metrics, timeouts });
  registerLoginRoutes(app, { sql, metrics, scryptLimits });
  return app;
}
