import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoShoppers } from '../../domain/shoppers.ts';
import { parsePasswordHash, verifyPassword } from './passwords.ts';

// postgres/init.sql cannot import the list of demo shoppers, so this keeps the seed equal to it.
const initSql = readFileSync(new URL('../../postgres/init.sql', import.meta.url), 'utf8');
const usersInsert = initSql.match(
  /INSERT INTO users \(email, name, password_hash\) VALUES\n([\s\S]*?)\nON CONFLICT/,
);
const seeded = [...(usersInsert?.[1] ?? '').matchAll(/\('([^']+)', '([^']+)', '([^']+)'\)/g)].map(
  ([, email, name, hash]) => ({ email: email!, name: name!, hash: hash! }),
);

describe('the seeded demo shoppers (postgres/init.sql)', () => {
  it('are exactly the demo shoppers, with their names', () => {
    expect(seeded.map(({ email, name }) => ({ email, name }))).toEqual(
      demoShoppers.map(({ email, name }) => ({ email, name })),
    );
  });

  it.each(demoShoppers)('$email signs in with $password and not with another password', async (shopper) => {
    const row = seeded.find((s) => s.email === shopper.email);
    const hash = row && parsePasswordHash(row.hash);
    expect(hash, `no readable hash seeded for ${shopper.email}`).toBeDefined();
    expect(await verifyPassword(shopper.password, hash!)).toBe(true);
    expect(await verifyPassword(`${shopper.password}x`, hash!)).toBe(false);
  });
});
