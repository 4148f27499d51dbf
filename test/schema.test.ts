import { scryptSync, timingSafeEqual } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type postgres from 'postgres';
import { applyInitSql } from '../scripts/native/postgres.ts';
import { demoShoppers } from '../domain/shoppers.ts';
import { sql } from './support/stack.ts';

const stack = inject('stack');
const db = sql(stack);
afterAll(() => db.end());

class Rollback extends Error {}

/**
 * Runs fn in a transaction that is always rolled back: the shared database keeps no trace, and
 * now() is fixed for the whole transaction, which makes the 5-minute window exact.
 */
async function inRolledBackTransaction(fn: (tx: postgres.TransactionSql) => Promise<void>): Promise<void> {
  await db
    .begin(async (tx) => {
      await fn(tx);
      throw new Rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
}

/** A sku nobody else uses, so a test's rows never meet another test's. */
const freshSku = () => `TEST-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

describe('postgres/init.sql', () => {
  it('applies again to a database that already has it', async () => {
    await applyInitSql(stack.databaseUrl);
    await applyInitSql(stack.databaseUrl);
    const [products] = await db`SELECT count(*)::int AS n FROM products WHERE sku LIKE 'SF-%'`;
    const [users] = await db`SELECT count(*)::int AS n FROM users WHERE email LIKE '%@shopfast.local'`;
    expect(products?.n).toBe(10);
    expect(users?.n).toBe(3);
  });

  it('seeds a flash-sale item with little stock and sensible thresholds on every product', async () => {
    const products = await db<{ sku: string; seed_stock: number; low_stock_threshold: number }[]>`
      SELECT sku, seed_stock, low_stock_threshold FROM products WHERE sku LIKE 'SF-%' ORDER BY sku`;
    expect(products.find((p) => p.sku === 'SF-1001')).toMatchObject({
      seed_stock: 40,
      low_stock_threshold: 10,
    });
    for (const p of products) {
      expect(p.seed_stock).toBeGreaterThanOrEqual(40);
      expect(p.seed_stock).toBeLessThanOrEqual(200);
      expect(p.low_stock_threshold / p.seed_stock).toBeGreaterThanOrEqual(0.1);
      expect(p.low_stock_threshold / p.seed_stock).toBeLessThanOrEqual(0.25);
    }
  });

  it('rejects negative stock', async () => {
    await inRolledBackTransaction(async (tx) => {
      const sku = freshSku();
      await tx`INSERT INTO products (sku, name, description, price_cents, stock, seed_stock, low_stock_threshold)
               VALUES (${sku}, 'Test item', 'for a test', 100, 1, 1, 0)`;
      await expect(tx`UPDATE products SET stock = stock - 2 WHERE sku = ${sku}`).rejects.toMatchObject({
        code: '23514', // check_violation
        constraint_name: 'products_stock_check',
      });
    });
  });

  it('rejects an order status outside the four known ones', async () => {
    await inRolledBackTransaction(async (tx) => {
      await expect(
        tx`INSERT INTO orders (status, total_cents) VALUES ('shipped', 100)`,
      ).rejects.toMatchObject({
        code: '23514',
      });
    });
  });
});

describe('alert views', () => {
  it('alert_failed_logins counts failed, uncleared attempts of the last 5 minutes only', async () => {
    await inRolledBackTransaction(async (tx) => {
      const counts = async () => {
        const rows = await tx`SELECT * FROM alert_failed_logins`;
        expect(rows).toHaveLength(1);
        const row = rows[0] as Record<string, string>;
        return {
          failed: Number(row.failed_last_5m),
          ips: Number(row.distinct_ips_last_5m),
          users: Number(row.distinct_users_last_5m),
        };
      };
      const before = await counts();
      const tag = freshSku();
      const [user, ip1, ip2, ip3] = [`mallory-${tag}`, `${tag}-ip1`, `${tag}-ip2`, `${tag}-ip3`];
      await tx`INSERT INTO login_attempts (username, client_ip, success, cleared, created_at) VALUES
        (${user}, ${ip1}, false, false, now()),
        (${user}, ${ip1}, false, false, now() - interval '4 minutes 50 seconds'),
        (${user}, ${ip2}, false, false, now() - interval '1 minute'),
        (${user}, ${ip3}, true,  false, now()),
        (${user}, ${ip3}, false, true,  now()),
        (${user}, ${ip3}, false, false, now() - interval '5 minutes 10 seconds')`;
      const after = await counts();
      // Counted: the first three. Not counted: a success, a cleared failure, a failure over 5 minutes old.
      expect(after.failed - before.failed).toBe(3);
      expect(after.ips - before.ips).toBe(2);
      expect(after.users - before.users).toBe(1);
    });
  });

  it('alert_failed_logins returns one row of zeros when nothing failed', async () => {
    await inRolledBackTransaction(async (tx) => {
      await tx`UPDATE login_attempts SET cleared = true WHERE NOT cleared`;
      const rows = await tx`SELECT * FROM alert_failed_logins`;
      expect(rows.map((r) => ({ ...r }))).toEqual([
        { failed_last_5m: '0', distinct_ips_last_5m: '0', distinct_users_last_5m: '0' },
      ]);
    });
  });

  it('alert_inventory_levels has one row per product with its stock and threshold', async () => {
    await inRolledBackTransaction(async (tx) => {
      const sku = freshSku();
      await tx`INSERT INTO products (sku, name, description, price_cents, stock, seed_stock, low_stock_threshold)
               VALUES (${sku}, 'Test item', 'for a test', 100, 3, 50, 7)`;
      const [levels] = await tx`SELECT count(*)::int AS n FROM alert_inventory_levels`;
      const [products] = await tx`SELECT count(*)::int AS n FROM products`;
      expect(levels?.n).toBe(products?.n);
      const rows = await tx`SELECT * FROM alert_inventory_levels WHERE sku = ${sku}`;
      expect(rows.map((r) => ({ ...r }))).toEqual([
        { sku, name: 'Test item', stock: 3, low_stock_threshold: 7 },
      ]);
    });
  });

  it('sales_by_product counts paid orders only', async () => {
    await inRolledBackTransaction(async (tx) => {
      const sku = freshSku();
      await tx`INSERT INTO products (sku, name, description, price_cents, stock, seed_stock, low_stock_threshold)
               VALUES (${sku}, 'Test item', 'for a test', 250, 100, 100, 10)`;
      const [paid] = await tx`INSERT INTO orders (status, total_cents) VALUES ('paid', 500) RETURNING id`;
      const [pending] =
        await tx`INSERT INTO orders (status, total_cents) VALUES ('pending', 1250) RETURNING id`;
      await tx`INSERT INTO order_items (order_id, sku, quantity, unit_price_cents) VALUES
        (${paid?.id as string}, ${sku}, 2, 250), (${pending?.id as string}, ${sku}, 5, 250)`;
      const rows = await tx`SELECT * FROM sales_by_product WHERE sku = ${sku}`;
      expect(rows.map((r) => ({ ...r }))).toEqual([
        { sku, name: 'Test item', units_sold: '2', revenue_cents: '500' },
      ]);

      const unsold = freshSku();
      await tx`INSERT INTO products (sku, name, description, price_cents, stock, seed_stock, low_stock_threshold)
               VALUES (${unsold}, 'Unsold item', 'for a test', 250, 100, 100, 10)`;
      const [row] = await tx`SELECT units_sold, revenue_cents FROM sales_by_product WHERE sku = ${unsold}`;
      expect({ ...row }).toEqual({ units_sold: '0', revenue_cents: '0' });
    });
  });
});

describe('demo users', () => {
  /** The format the api verifies: scrypt$<salt base64>$<key base64>, Node's scrypt defaults, 64-byte key. */
  function verify(password: string, hash: string): boolean {
    const [scheme, salt, key] = hash.split('$');
    if (scheme !== 'scrypt' || !salt || !key) throw new Error(`unexpected hash format: ${hash}`);
    const expected = Buffer.from(key, 'base64');
    const actual = scryptSync(password, Buffer.from(salt, 'base64'), expected.length);
    return expected.length === 64 && timingSafeEqual(actual, expected);
  }

  it.each(demoShoppers)(
    '$email has a scrypt hash of its documented password',
    async ({ email, password }) => {
      const [user] = await db<
        { password_hash: string }[]
      >`SELECT password_hash FROM users WHERE email = ${email}`;
      expect(user).toBeDefined();
      expect(verify(password, user!.password_hash)).toBe(true);
      expect(verify(password + 'x', user!.password_hash)).toBe(false);
    },
  );
});
