import { z } from 'zod';
import {
  databaseVariables,
  kitSettings,
  kitVariables,
  loadSettings,
  parseSettings,
  type Environment,
  type KitSettings,
} from '../kit/settings.ts';
import type { ProcessingRange } from './gateway.ts';

const rangeMessage = 'must look like "100-500" (min-max milliseconds, min ≤ max, at most 99999)';

/** "min-max" milliseconds, e.g. "100-500". */
const processingRange = z
  .string()
  .regex(/^\d{1,5}-\d{1,5}$/, rangeMessage)
  .transform((value): ProcessingRange => {
    const [min, max] = value.split('-').map(Number) as [number, number];
    return { min, max };
  })
  .refine(({ min, max }) => min <= max, rangeMessage)
  .meta({ allowed: '`min-max` milliseconds, each 0–99999' });

export const paymentVariables = z.object({
  ...kitVariables('payment'),
  ...databaseVariables,
  PAYMENT_PROCESSING_MS: processingRange
    .prefault('100-500')
    .describe("The simulated gateway's time per charge (benchmarks set `0-0`)"),
});

export interface PaymentSettings extends KitSettings {
  databaseUrl: string;
  processingMs: ProcessingRange;
}

export function paymentSettingsFrom(env: Environment): PaymentSettings {
  const e = parseSettings(paymentVariables, env, 'payment');
  return { ...kitSettings('payment', e), databaseUrl: e.DATABASE_URL, processingMs: e.PAYMENT_PROCESSING_MS };
}

export const loadPaymentSettings = () => loadSettings(paymentSettingsFrom);
