import { availableParallelism } from 'node:os';
import { z } from 'zod';
import {
  databaseVariables,
  httpUrl,
  kitSettings,
  kitVariables,
  loadSettings,
  parseSettings,
  wholeNumber,
  type Environment,
  type KitSettings,
} from '../kit/settings.ts';
import { defaultUrl } from '../../domain/services.ts';
import { cleanupMs, type OrderTimeouts } from './order-timeouts.ts';
import type { WorkGateLimits } from './work-gate.ts';

const millis = () => wholeNumber(100, 120_000);

export const apiVariables = z
  .object({
    ...kitVariables('api'),
    ...databaseVariables,
    INVENTORY_URL: httpUrl().default(defaultUrl('inventory')).describe('Where the api reaches inventory'),
    PAYMENT_URL: httpUrl().default(defaultUrl('payment')).describe('Where the api reaches payment'),
    ORDER_TIMEOUT_MS: millis()
      .default(10_000)
      .describe(`An order's whole budget; must cover both hops + ${cleanupMs} ms of clean-up`),
    INVENTORY_TIMEOUT_MS: millis().default(2_500).describe('The most one call to inventory may take'),
    PAYMENT_TIMEOUT_MS: millis().default(6_000).describe('The most one charge may take'),
    LOGIN_SCRYPT_CONCURRENCY: wholeNumber(1, 10_000)
      .optional()
      .describe('Password checks (scrypt) run at once; more wait or get 429')
      .meta({ unset: 'half the cores, at least 1' }),
    LOGIN_SCRYPT_QUEUE: wholeNumber(0, 10_000)
      .default(16)
      .describe('Password checks that may wait for a slot (about half a second at most); the rest get 429'),
  })
  .refine((e) => e.INVENTORY_TIMEOUT_MS + e.PAYMENT_TIMEOUT_MS + cleanupMs <= e.ORDER_TIMEOUT_MS, {
    path: ['ORDER_TIMEOUT_MS'],
    error: ({ input }) => {
      const e = input as Record<'ORDER_TIMEOUT_MS' | 'INVENTORY_TIMEOUT_MS' | 'PAYMENT_TIMEOUT_MS', number>;
      const hops = e.INVENTORY_TIMEOUT_MS + e.PAYMENT_TIMEOUT_MS + cleanupMs;
      return `(${e.ORDER_TIMEOUT_MS}) must cover INVENTORY_TIMEOUT_MS + PAYMENT_TIMEOUT_MS + ${cleanupMs} ms of clean-up (${hops})`;
    },
  });

export interface ApiSettings extends KitSettings {
  databaseUrl: string;
  inventoryUrl: string;
  paymentUrl: string;
  timeouts: OrderTimeouts;
  /** How many scrypt checks run at once and wait. */
  scryptLimits: WorkGateLimits;
}

export function apiSettingsFrom(env: Environment): ApiSettings {
  const e = parseSettings(apiVariables, env, 'api');
  return {
    ...kitSettings('api', e),
    databaseUrl: e.DATABASE_URL,
    inventoryUrl: e.INVENTORY_URL,
    paymentUrl: e.PAYMENT_URL,
    timeouts: {
      orderMs: e.ORDER_TIMEOUT_MS,
      inventoryMs: e.INVENTORY_TIMEOUT_MS,
      paymentMs: e.PAYMENT_TIMEOUT_MS,
    },
    scryptLimits: {
      concurrency: e.LOGIN_SCRYPT_CONCURRENCY ?? Math.max(1, Math.floor(availableParallelism() / 2)),
      maxQueued: e.LOGIN_SCRYPT_QUEUE,
    },
  };
}

export const loadApiSettings = () => loadSettings(apiSettingsFrom);
