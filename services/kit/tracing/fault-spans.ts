import { trace } from '@opentelemetry/api';
import { inSpan, markFailed } from './spans.ts';
import { tracingEnabled } from './setup.ts';

export type FaultKind = 'latency' | 'error' | 'gateway_failure';

/**
 * Waits out an injected delay inside its own span, so a slow trace shows the cause by name and
 * duration instead of an unexplained gap.
 */
export function injectedDelay(delayMs: number): Promise<void> {
  return inSpan(
    'fault latency',
    { attributes: { 'fault.kind': 'latency', 'fault.delay_ms': Math.round(delayMs) } },
    () => new Promise<void>((resolve) => setTimeout(resolve, delayMs)),
  );
}

/** Records an injected failure (error rate, gateway failure) as a failed span of its own. */
export function recordInjectedFailure(kind: Exclude<FaultKind, 'latency'>, message: string): void {
  if (!tracingEnabled()) return;
  const span = trace.getTracer('shopfast').startSpan(`fault ${kind.replace('_', ' ')}`, {
    attributes: { 'fault.kind': kind },
  });
  markFailed(span, undefined, message);
  span.end();
}
