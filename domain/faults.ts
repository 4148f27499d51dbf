import { z } from 'zod';
import type { ServiceName } from './services.ts';

/**
 * The one fault model: which faults exist, their ranges, which service takes which, and how long a
 * fault lives. The services enforce it, the simulator's scenarios and CLI speak it.
 */
const fraction = z.number().min(0).max(1);
const millis = z.number().int().min(0).max(30_000);

const commonKinds = {
  /** Share of business requests answered 500. */
  errorRate: fraction,
  /** Added to every business request. */
  latencyMs: millis,
  /** Up to this much more, at random. */
  latencyJitterMs: millis,
  /** The process's CPU use kept at least at this share of one core (a worker thread tops it up). */
  cpuBurn: fraction,
};
/** Payment only: the share of charges the simulated gateway fails. */
const gatewayKinds = { gatewayFailureRate: fraction };
const kindSchemas = { ...commonKinds, ...gatewayKinds };

export type FaultKind = keyof typeof kindSchemas;

/** Fault values by kind; a kind left out (or 0) is off. What PUT /admin/faults sets and a scenario phase names. */
export type FaultSettings = Partial<Record<FaultKind, number>>;

/** A fault switched on lives this long unless the request says otherwise; scenarios renew theirs. */
export const defaultFaultTtlSeconds = 300;
export const maxFaultTtlSeconds = 3_600;

/** The kinds a service takes: every service the common ones, payment its gateway's too. */
export function faultKindsOf(service: ServiceName): FaultKind[] {
  const kinds = Object.keys(commonKinds) as FaultKind[];
  return service === 'payment' ? [...kinds, ...(Object.keys(gatewayKinds) as FaultKind[])] : kinds;
}

/** The body of PUT /admin/faults on this service: fault values, and the time they live. */
export function faultRequestSchema(service: ServiceName) {
  const kinds = Object.fromEntries(faultKindsOf(service).map((kind) => [kind, kindSchemas[kind]]));
  return z
    .strictObject({
      ...kinds,
      ttlSeconds: z.number().int().min(1).max(maxFaultTtlSeconds),
    })
    .partial() as z.ZodType<FaultRequest>;
}

export type FaultRequest = FaultSettings & {
  /** How long the faults switched on by this request live (default defaultFaultTtlSeconds). */
  ttlSeconds?: number;
};

/** What GET, PUT and reset of /admin/faults answer. */
export interface FaultReport {
  service: ServiceName;
  /** Every kind the service takes, 0 when off. */
  faults: Partial<Record<FaultKind, number>>;
  /** When each fault that is on goes off by itself (ISO 8601). */
  expiresAt: Partial<Record<FaultKind, string>>;
}
