import { describe, expect, it } from 'vitest';
import { parseProcessingRange } from './app.ts';

// The charge, void and expiry routes need PostgreSQL: see test/payment.test.ts.
describe('parseProcessingRange', () => {
  it('reads min-max milliseconds', () => {
    expect(parseProcessingRange('0-0')).toEqual({ min: 0, max: 0 });
    expect(parseProcessingRange('100-500')).toEqual({ min: 100, max: 500 });
    expect(parseProcessingRange(undefined)).toBeUndefined();
  });

  it.each(['fast', '500-100', '-1-5', '100'])('rejects %s', (value) => {
    expect(() => parseProcessingRange(value)).toThrow(/PAYMENT_PROCESSING_MS/);
  });
});
