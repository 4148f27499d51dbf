import client from 'prom-client';
import type { ServiceName } from './service-catalog.ts';

/** A registry per service (not the global one) so several apps can live in one test process. */
export function createMetrics(service: ServiceName) {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });
  const startups = new client.Counter({
    name: 'app_startups_total',
    help: 'Times this service process has started',
    registers: [registry],
  });
  return { registry, startups };
}

export type Metrics = ReturnType<typeof createMetrics>;
