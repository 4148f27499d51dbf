import { createRequire } from 'node:module';
import { context, propagation, trace } from '@opentelemetry/api';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkTraceNode from '@opentelemetry/sdk-trace-node';
import type { TracingSettings } from '../settings.ts';

/**
 * Loads a module only when tracing is on. The SDK, the exporter and their semantic conventions are
 * about 20 MiB resident per process, which a service with tracing off must not pay; require keeps
 * startTracing synchronous (these packages are CommonJS, as `import` would load them too).
 */
export const requireForTracing = createRequire(import.meta.url);

export interface Tracing {
  /** True when spans are recorded and exported; false means every tracing hook is skipped. */
  readonly enabled: boolean;
  /** Exports what is still buffered and stops the exporter; the last step of a shutdown. */
  shutdown(): Promise<void>;
}

const off: Tracing = { enabled: false, shutdown: async () => {} };
let running: Tracing = off;

/** Whether this process records spans: the kit's hooks ask before adding any work to a request. */
export function tracingEnabled(): boolean {
  return running.enabled;
}

/**
 * Starts the OpenTelemetry SDK when the settings give an OTLP traces URL (kit/settings.ts), or does
 * nothing at all. The exporter speaks OTLP/HTTP with JSON bodies to that URL; the SDK reads its other
 * standard variables itself (service name, sampler, resource attributes, batching). The W3C trace
 * context propagator and an AsyncLocalStorage context manager are registered with the API. Once per
 * process.
 */
export function startTracing(service: string, { otlpTracesUrl }: TracingSettings): Tracing {
  if (running.enabled || !otlpTracesUrl) return running;
  const { defaultResource, detectResources, envDetector, resourceFromAttributes } = requireForTracing(
    '@opentelemetry/resources',
  ) as typeof Resources;
  const { BatchSpanProcessor, NodeTracerProvider } = requireForTracing(
    '@opentelemetry/sdk-trace-node',
  ) as typeof SdkTraceNode;
  const { OTLPTraceExporter } = requireForTracing(
    '@opentelemetry/exporter-trace-otlp-http',
  ) as typeof OtlpHttp;
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (the env detector) win over the kit's own name.
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': service }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl }))],
  });
  provider.register();
  running = {
    enabled: true,
    shutdown: async () => {
      await provider.shutdown();
      // Unregisters the provider, context manager and propagator, so a later start begins afresh.
      trace.disable();
      context.disable();
      propagation.disable();
      running = off;
    },
  };
  return running;
}
