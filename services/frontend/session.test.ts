import { describe, expect, it } from 'vitest';
import { sessionKeyFrom } from './session.ts';

describe('the session key', () => {
  it('is derived from ALERT_WEBHOOK_SECRET: the same for the same secret, never the secret itself', () => {
    const a = sessionKeyFrom('webhook-secret-one');
    expect(a.source).toBe('derived from ALERT_WEBHOOK_SECRET');
    expect(a.bytes).toHaveLength(32);
    expect(sessionKeyFrom('webhook-secret-one').bytes).toEqual(a.bytes);
    expect(sessionKeyFrom('webhook-secret-two').bytes).not.toEqual(a.bytes);
    expect(Buffer.from(a.bytes).toString()).not.toContain('webhook-secret-one');
  });

  it('is random, per process, without that secret', () => {
    const a = sessionKeyFrom(undefined);
    expect(a.source).toBe('random for this process');
    expect(a.bytes).toHaveLength(32);
    expect(sessionKeyFrom(undefined).bytes).not.toEqual(a.bytes);
  });
});
