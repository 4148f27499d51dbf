import { describe, expect, it } from 'vitest';
import { paymentSettingsFrom } from './settings.ts';

// The charge, void and expiry routes need PostgreSQL: see test/payment.test.ts.
describe('PAYMENT_PROCESSING_MS', () => {
  const processingMs = (value?: string) =>
    paymentSettingsFrom(value === undefined ? {} : { PAYMENT_PROCESSING_MS: value }).processingMs;

  it('reads min-max milliseconds, 100-500 when unset', () => {
    expect(processingMs('0-0')).toEqual({ min: 0, max: 0 });
    expect(processingMs('100-500')).toEqual({ min: 100, max: 500 });
    expect(processingMs('250-250')).toEqual({ min: 250, max: 250 });
    expect(processingMs(undefined)).toEqual({ min: 100, max: 500 });
  });

  it.each(['fast', '500-100', '-1-5', '100', '1-100000'])('rejects %s', (value) => {
    expect(() => processingMs(value)).toThrow(/PAYMENT_PROCESSING_MS must look like "100-500"/);
  });
});
