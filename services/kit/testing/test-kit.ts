import { afterEach } from 'vitest';
import { z } from 'zod';
import { createServiceApp, type ReadinessChecks, type ServiceAppOptions } from '../app.ts';
import { createKit, type ServiceKit } from '../kit.ts';
import type { ServiceName } from '../../../domain/services.ts';
import { kitSettings, kitVariables, parseSettings, type Environment, type KitSettings } from '../settings.ts';

/** The kit's own settings for a service, from the given variables only (no process.env). */
export function testSettings(service: ServiceName, env: Environment): KitSettings {
  return kitSettings(service, parseSettings(z.object(kitVariables(service)), env, service));
}

// Shared by the kit's tests: a kit with silent logs and a known admin token, closed after each test.
export const adminToken = 'test-admin-token';
const kits: ServiceKit[] = [];

afterEach(async () => {
  await Promise.all(kits.splice(0).map((kit) => kit.close()));
});

export interface TestAppOptions extends ServiceAppOptions {
  service?: ServiceName;
  env?: Record<string, string>;
  readiness?: ReadinessChecks;
}

/** A service app on a fresh kit, with GET /work as its one business route. */
export function testApp(options: TestAppOptions = {}) {
  const env = { ADMIN_TOKEN: adminToken, LOG_LEVEL: 'silent', ...options.env };
  const kit = createKit(testSettings(options.service ?? 'api', env));
  kits.push(kit);
  const app = createServiceApp(kit, options.readiness ?? {}, options);
  app.get('/work', (c) => c.json({ ok: true }));
  const admin = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
    app.request(path, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${init.token ?? adminToken}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const setFaults = (faults: Record<string, unknown>, token?: string) =>
    admin('/admin/faults', { method: 'PUT', body: faults, ...(token ? { token } : {}) });
  const metricsText = async () => (await app.request('/metrics')).text();
  return { kit, app, admin, setFaults, metricsText };
}
