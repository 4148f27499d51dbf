import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiSettingsFrom } from './settings.ts';

describe('api settings: order timeouts', () => {
  it('default to a 10 s order, 2.5 s for inventory and 6 s for payment', () => {
    expect(apiSettingsFrom({}).timeouts).toEqual({ orderMs: 10_000, inventoryMs: 2_500, paymentMs: 6_000 });
  });

  it('read shorter timeouts that still nest', () => {
    const env = { ORDER_TIMEOUT_MS: '4000', INVENTORY_TIMEOUT_MS: '1000', PAYMENT_TIMEOUT_MS: '1500' };
    expect(apiSettingsFrom(env).timeouts).toEqual({ orderMs: 4_000, inventoryMs: 1_000, paymentMs: 1_500 });
  });

  it('refuse hops that do not fit in the order budget, naming the variables', () => {
    expect(() => apiSettingsFrom({ ORDER_TIMEOUT_MS: '5000' })).toThrow(
      /ORDER_TIMEOUT_MS \(5000\) must cover INVENTORY_TIMEOUT_MS \+ PAYMENT_TIMEOUT_MS/,
    );
  });

  it.each(['soon', '50', '1000000'])('refuse ORDER_TIMEOUT_MS=%s, saying the range', (value) => {
    expect(() => apiSettingsFrom({ ORDER_TIMEOUT_MS: value })).toThrow(
      'invalid settings for api: ORDER_TIMEOUT_MS must be a whole number from 100 to 120000',
    );
  });
});

describe('api settings: scrypt limits', () => {
  it('default to half the cores (at least one) and 16 waiting; the environment overrides, bad values stop start-up', () => {
    const cores = availableParallelism();
    const limits = (env: Record<string, string>) => apiSettingsFrom(env).scryptLimits;
    expect(limits({})).toEqual({ concurrency: Math.max(1, Math.floor(cores / 2)), maxQueued: 16 });
    expect(limits({ LOGIN_SCRYPT_CONCURRENCY: '3', LOGIN_SCRYPT_QUEUE: '0' })).toEqual({
      concurrency: 3,
      maxQueued: 0,
    });
    expect(() => limits({ LOGIN_SCRYPT_CONCURRENCY: '0' })).toThrow(/LOGIN_SCRYPT_CONCURRENCY/);
    expect(() => limits({ LOGIN_SCRYPT_QUEUE: 'many' })).toThrow(/LOGIN_SCRYPT_QUEUE/);
  });
});

describe('api start-up', () => {
  it('with a bad value exits 1 before anything else, the message naming the variable and its range', () => {
    const main = join(import.meta.dirname, 'main.ts');
    const result = spawnSync(process.execPath, ['--import', 'tsx', main], {
      env: { PATH: process.env.PATH, INVENTORY_TIMEOUT_MS: '50', LOG_LEVEL: 'loud' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'invalid settings for api: LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent; ' +
        'INVENTORY_TIMEOUT_MS must be a whole number from 100 to 120000\n',
    );
  });
});
