import { z } from 'zod';
import { defaultPorts, defaultUrl, type ServiceName } from '../../domain/services.ts';

export type { ServiceName };

// Tokens travel as `Authorization: Bearer <token>` (or a header of their own), which takes
// RFC 6750's token68 characters only: letters, digits and -._~+/ with trailing '='.
const secret = (name: string) =>
  z
    .string()
    .min(8, `${name} must be at least 8 characters`)
    .regex(/^[A-Za-z0-9._~+/-]+=*$/, `${name} may hold only letters, digits and -._~+/ (then '=')`);

const urlSchema = z.url({ protocol: /^https?$|^postgres(ql)?$/ });

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // Loopback unless asked otherwise: containers set 0.0.0.0 (compose publishes on the host's loopback).
  HOST: z
    .union([z.ipv4(), z.ipv6()], { message: 'HOST must be an IP address to listen on' })
    .default('127.0.0.1'),
  DATABASE_URL: urlSchema.default('postgres://shopfast:shopfast@localhost:5432/shopfast'),
  LOKI_URL: z.url().optional(),
  ADMIN_TOKEN: secret('ADMIN_TOKEN').optional(),
  APP_ENV: z.string().min(1).default('demo'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  API_URL: z.url().default(defaultUrl('api')),
  PAYMENT_URL: z.url().default(defaultUrl('payment')),
  INVENTORY_URL: z.url().default(defaultUrl('inventory')),
  ALERT_WEBHOOK_SECRET: secret('ALERT_WEBHOOK_SECRET').optional(),
});

export interface ServiceConfig {
  service: ServiceName;
  port: number;
  /** The address the server listens on. */
  host: string;
  databaseUrl: string;
  lokiUrl: string | undefined;
  adminToken: string | undefined;
  env: string;
  logLevel: string;
  apiUrl: string;
  paymentUrl: string;
  inventoryUrl: string;
  webhookSecret: string | undefined;
}

/** Reads a service's settings from the environment; a bad value stops start-up with a message naming it. */
export function loadConfig(service: ServiceName, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid environment for ${service}: ${problems}`);
  }
  const e = parsed.data;
  return {
    service,
    port: e.PORT ?? defaultPorts[service],
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    lokiUrl: e.LOKI_URL,
    adminToken: e.ADMIN_TOKEN,
    env: e.APP_ENV,
    logLevel: e.LOG_LEVEL,
    apiUrl: e.API_URL,
    paymentUrl: e.PAYMENT_URL,
    inventoryUrl: e.INVENTORY_URL,
    webhookSecret: e.ALERT_WEBHOOK_SECRET,
  };
}
