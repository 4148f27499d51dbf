import { describe, expect, it } from 'vitest';
import { parsePasswordHash, unmatchableHash, verifyPassword } from './passwords.ts';

// alice@shopfast.local's hash from postgres/init.sql; her password is alice-demo-pass.
const aliceHash =
  'scrypt$kDTpR8X6zzgTjcRCMDTjyA==$izGGjU6biQzNUyMdroGFm+Ns3Hd8cRrRmkd5j1sX5vMMZ0Mq7byfUD8jSJhqlAmgklUjHxDdIOkcpGF43VHoZQ==';

describe('passwords', () => {
  it('verifies the right password against a stored scrypt hash, and only it', async () => {
    const hash = parsePasswordHash(aliceHash)!;
    expect(hash.key).toHaveLength(64);
    expect(await verifyPassword('alice-demo-pass', hash)).toBe(true);
    expect(await verifyPassword('alice-demo-pass ', hash)).toBe(false);
    expect(await verifyPassword('bob-demo-pass', hash)).toBe(false);
  });

  it.each(['', 'scrypt', 'scrypt$$', 'bcrypt$abc$def', `${aliceHash}$extra`, 'scrypt$abc$'])(
    'refuses the malformed hash %j',
    (stored) => {
      expect(parsePasswordHash(stored)).toBeUndefined();
    },
  );

  it('has a decoy hash that no password matches', async () => {
    expect(await verifyPassword('alice-demo-pass', unmatchableHash())).toBe(false);
    expect(await verifyPassword('', unmatchableHash())).toBe(false);
  });
});
