import type { Logger } from 'pino';
import client from 'prom-client';
import type { z } from 'zod';
import { CpuBurner } from './cpu-burner.ts';
import {
  defaultFaultTtlSeconds,
  faultKindsOf,
  faultRequestSchema,
  type FaultKind,
  type FaultReport,
  type FaultRequest,
} from '../../domain/faults.ts';
import type { ServiceName } from '../../domain/services.ts';

export interface FaultOptions {
  service: ServiceName;
  logger: Logger;
  registry: client.Registry;
}

/**
 * The faults switched on in one service. Each lives for its time to live and then goes off by
 * itself, so a simulator killed mid-scenario (or a laptop gone to sleep) cannot leave one on.
 * Every change is logged at warn level and mirrored in `fault_active{kind}` and
 * `fault_expiry_timestamp_seconds{kind}`, so a dashboard shows what was injected and until when.
 */
export class Faults {
  readonly requestSchema: z.ZodType<FaultRequest>;
  private readonly service: ServiceName;
  private readonly kinds: FaultKind[];
  private readonly values: Partial<Record<FaultKind, number>> = {};
  private readonly expiries = new Map<FaultKind, { at: number; timer: NodeJS.Timeout }>();
  private readonly burner = new CpuBurner();
  private readonly active: client.Gauge<'kind'>;
  private readonly expiry: client.Gauge<'kind'>;
  private readonly logger: Logger;

  constructor(options: FaultOptions) {
    this.service = options.service;
    this.kinds = faultKindsOf(options.service);
    this.requestSchema = faultRequestSchema(options.service);
    this.logger = options.logger;
    this.active = new client.Gauge({
      name: 'fault_active',
      help: 'Whether an injected fault is switched on (1) or off (0), by kind',
      labelNames: ['kind'] as const,
      registers: [options.registry],
    });
    this.expiry = new client.Gauge({
      name: 'fault_expiry_timestamp_seconds',
      help: 'When an injected fault goes off by itself (Unix time), 0 while it is off, by kind',
      labelNames: ['kind'] as const,
      registers: [options.registry],
    });
    for (const kind of this.kinds) this.store(kind, 0);
  }

  /** The value of one fault kind, 0 when off or not taken by this service. */
  value(kind: FaultKind): number {
    // Timers run on the monotonic clock, which stands still while a machine sleeps: the wall clock
    // decides, so a fault past its expiry is off even before its timer catches up.
    const expiry = this.expiries.get(kind);
    if (expiry && Date.now() >= expiry.at) this.expire(kind);
    return this.values[kind] ?? 0;
  }

  report(): FaultReport {
    for (const kind of this.kinds) this.value(kind);
    const expiresAt = Object.fromEntries(
      [...this.expiries].map(([kind, { at }]) => [kind, new Date(at).toISOString()]),
    );
    return { service: this.service, faults: { ...this.values }, expiresAt };
  }

  /** Sets the kinds the request names; those switched on live ttlSeconds from now, the others stay as they were. */
  async set(request: FaultRequest): Promise<FaultReport> {
    const previous = { ...this.values };
    const expiresAt = Date.now() + (request.ttlSeconds ?? defaultFaultTtlSeconds) * 1000;
    for (const kind of this.kinds) {
      const value = request[kind];
      if (value !== undefined) this.store(kind, value, expiresAt);
    }
    await this.burner.set(this.value('cpuBurn'));
    this.logger.warn({ faults: this.values, previous, ttlSeconds: request.ttlSeconds }, 'faults changed');
    return this.report();
  }

  async reset(): Promise<FaultReport> {
    return this.set(Object.fromEntries(this.kinds.map((kind) => [kind, 0])));
  }

  /** True for the share of gateway calls the gatewayFailureRate fault says should fail. */
  gatewayShouldFail(): boolean {
    return Math.random() < this.value('gatewayFailureRate');
  }

  async close(): Promise<void> {
    for (const { timer } of this.expiries.values()) clearTimeout(timer);
    this.expiries.clear();
    await this.burner.stop();
  }

  private store(kind: FaultKind, value: number, expiresAt = 0): void {
    clearTimeout(this.expiries.get(kind)?.timer);
    this.expiries.delete(kind);
    this.values[kind] = value;
    this.active.set({ kind }, value > 0 ? 1 : 0);
    this.expiry.set({ kind }, value > 0 ? expiresAt / 1000 : 0);
    if (value <= 0) return;
    const timer = setTimeout(() => this.expire(kind), expiresAt - Date.now());
    // A pending expiry must not keep a stopping process alive.
    timer.unref();
    this.expiries.set(kind, { at: expiresAt, timer });
  }

  private expire(kind: FaultKind): void {
    const was = this.values[kind];
    this.store(kind, 0);
    this.logger.warn({ kind, was, faults: this.values }, 'fault expired');
    if (kind === 'cpuBurn') {
      this.burner.set(0).catch((err: unknown) => this.logger.error({ err }, 'could not stop the CPU burner'));
    }
  }
}
