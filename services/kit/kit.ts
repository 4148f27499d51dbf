import type { Logger } from 'pino';
import { Faults } from './faults.ts';
import { createLogger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import type { KitSettings } from './settings.ts';
import { startTracing, type Tracing } from './tracing/setup.ts';
import { traceLogFields } from './tracing/spans.ts';

/** What every service gets from the kit: its settings, logger, metrics registry and fault switches. */
export interface ServiceKit<Settings extends KitSettings = KitSettings> {
  config: Settings;
  logger: Logger;
  metrics: Metrics;
  faults: Faults;
  tracing: Tracing;
  /** Stops the CPU burner and flushes the logs; the last step of a shutdown. */
  close(): Promise<void>;
}

export function createKit<Settings extends KitSettings>(config: Settings): ServiceKit<Settings> {
  const tracing = startTracing(config.service, config.tracing);
  const { logger, close: closeLogger } = createLogger({
    service: config.service,
    env: config.env,
    level: config.logLevel,
    lokiUrl: config.lokiUrl,
    ...(tracing.enabled ? { mixin: traceLogFields } : {}),
  });
  const metrics = createMetrics(config.service, { exemplars: tracing.enabled });
  const faults = new Faults({ service: config.service, logger, registry: metrics.registry });
  return {
    config,
    logger,
    metrics,
    faults,
    tracing,
    close: async () => {
      await faults.close();
      await tracing.shutdown();
      await closeLogger();
    },
  };
}
