import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import client from 'prom-client';
import { z } from 'zod';
import type { KitEnv } from './context.ts';
import { CpuBurner } from './cpu-burner.ts';
import { HttpError } from './errors.ts';
import { injectedDelay, recordInjectedFailure } from './tracing/fault-spans.ts';

const fraction = z.number().min(0).max(1);
const millis = z.number().int().min(0).max(30_000);

const commonFaults = { errorRate: fraction, latencyMs: millis, latencyJitterMs: millis, cpuBurn: fraction };
const gatewayFaults = { gatewayFailureRate: fraction };

export type FaultState = { [K in keyof typeof commonFaults]: number } & { gatewayFailureRate?: number };
export type FaultPatch = Partial<FaultState>;

export interface FaultOptions {
  logger: Logger;
  registry: client.Registry;
  /** Payment's extra fault: the share of charges the simulated gateway fails. */
  withGatewayFaults?: boolean;
}

/**
 * The fault switches a scenario flips on one service. Every change is logged at warn level and
 * mirrored in `fault_active{kind}` so a dashboard shows what was injected and when.
 */
export class Faults {
  readonly patchSchema: z.ZodType<FaultPatch>;
  private state: FaultState;
  private readonly cleared: FaultState;
  private readonly burner = new CpuBurner();
  private readonly gauge: client.Gauge<'kind'>;
  private readonly logger: Logger;

  constructor(options: FaultOptions) {
    const shape = options.withGatewayFaults ? { ...commonFaults, ...gatewayFaults } : commonFaults;
    this.patchSchema = z.strictObject(shape).partial();
    this.cleared = Object.fromEntries(Object.keys(shape).map((k) => [k, 0])) as FaultState;
    this.state = { ...this.cleared };
    this.logger = options.logger;
    this.gauge = new client.Gauge({
      name: 'fault_active',
      help: 'Whether an injected fault is switched on (1) or off (0), by kind',
      labelNames: ['kind'] as const,
      registers: [options.registry],
    });
    for (const kind of Object.keys(shape)) this.gauge.set({ kind }, 0);
  }

  current(): FaultState {
    return { ...this.state };
  }

  async apply(patch: FaultPatch): Promise<FaultState> {
    const previous = this.state;
    this.state = { ...this.state, ...patch };
    for (const [kind, value] of Object.entries(this.state)) this.gauge.set({ kind }, value > 0 ? 1 : 0);
    await this.burner.set(this.state.cpuBurn);
    this.logger.warn({ faults: this.state, previous }, 'faults changed');
    return this.current();
  }

  reset(): Promise<FaultState> {
    return this.apply(this.cleared);
  }

  /** True for the share of gateway calls the gatewayFailureRate fault says should fail. */
  gatewayShouldFail(): boolean {
    return Math.random() < (this.state.gatewayFailureRate ?? 0);
  }

  /** Added latency, then the error-rate fault; applied to business routes only. */
  middleware(): MiddlewareHandler<KitEnv> {
    return async (c, next) => {
      const { latencyMs, latencyJitterMs, errorRate } = this.state;
      const delay = latencyMs + Math.random() * latencyJitterMs;
      if (delay > 0) await injectedDelay(delay);
      if (errorRate > 0 && Math.random() < errorRate) {
        const message = `Injected fault: ${Math.round(errorRate * 100)}% of requests fail`;
        recordInjectedFailure('error', message);
        throw new HttpError(500, 'injected_fault', message);
      }
      await next();
    };
  }

  close(): Promise<void> {
    return this.burner.stop();
  }
}
