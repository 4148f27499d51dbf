import client from 'prom-client';
import type { ServiceName } from '../../domain/services.ts';

/**
 * A registry per service (not the global one) so several apps can live in one test process. With
 * `exemplars` (tracing on) the exposition is OpenMetrics, the only form that carries exemplars.
 */
export function createMetrics(service: ServiceName, { exemplars = false }: { exemplars?: boolean } = {}) {
  const registry = new client.Registry();
  // The services' own metrics take the default-typed Registry; the content type only changes the text.
  if (exemplars) {
    (registry as client.Registry<client.RegistryContentType>).setContentType(
      client.Registry.OPENMETRICS_CONTENT_TYPE,
    );
  }
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });
  const startups = new client.Counter({
    name: 'app_startups_total',
    help: 'Times this service process has started',
    registers: [registry],
  });
  return { registry, exemplars, startups };
}

export type Metrics = ReturnType<typeof createMetrics>;
