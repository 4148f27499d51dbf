import type { Hono } from 'hono';
import type { KitEnv } from '../context.ts';
import type { Faults } from '../faults.ts';
import { jsonBody } from '../validation.ts';

/**
 * GET /admin/faults shows the faults and when each goes off; PUT sets some (with `ttlSeconds`
 * for how long they live); POST /admin/faults/reset switches every one off. Behind the admin token.
 */
export function addFaultAdminRoutes(app: Hono<KitEnv>, { faults }: { faults: Faults }): void {
  app.get('/admin/faults', (c) => c.json(faults.report()));
  app.put('/admin/faults', jsonBody(faults.requestSchema), async (c) =>
    c.json(await faults.set(c.req.valid('json'))),
  );
  app.post('/admin/faults/reset', async (c) => c.json(await faults.reset()));
}
