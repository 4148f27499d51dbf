import { HttpError, type Sql } from '../kit/index.ts';

export interface ShopperOrder {
  id: string;
  status: string;
  totalCents: number;
  currency: string;
  createdAt: Date;
  items: { sku: string; name: string; quantity: number }[];
}

/** One account's failed sign-ins, as the failed-logins alert counts them. */
export interface AccountUnderAttack {
  account: string;
  failed: number;
  /** How many addresses tried, and the first few of them. */
  addressCount: number;
  addresses: string[];
  lastAttemptAt: Date;
}

export interface SignInActivity {
  /** The failed-logins rule's own query: SELECT failed_last_5m FROM alert_failed_logins. */
  failedLast5m: number;
  accounts: AccountUnderAttack[];
}

/** What the account and sign-in activity pages read; tests stand a fake in for it. */
export interface ShopperRecords {
  /** A shopper's most recent orders (by the email given at checkout, in any case), newest first. */
  ordersOf(email: string): Promise<ShopperOrder[]>;
  signInActivity(): Promise<SignInActivity>;
}

export const maxOrdersShown = 20;
export const maxAccountsShown = 20;
const maxAddressesNamed = 5;

// A database created before these views existed (the Docker stack applies init.sql to a new volume only).
const undefinedTable = '42P01';

function explainMissingSchema(err: unknown): never {
  if ((err as { code?: unknown }).code === undefinedTable) {
    throw new HttpError(
      503,
      'database_outdated',
      'The database was created before this page existed: apply postgres/init.sql again (it is idempotent) ' +
        'or start afresh with ./start-demo.sh --reset',
    );
  }
  throw err;
}

/** Reads orders and sign-in attempts straight from PostgreSQL, read-only. */
export function createShopperRecords(sql: Sql): ShopperRecords {
  return {
    ordersOf: (email) =>
      sql<ShopperOrder[]>`
        SELECT o.id, o.status, o.total_cents AS "totalCents", o.currency, o.created_at AS "createdAt",
               coalesce(json_agg(json_build_object('sku', i.sku, 'name', coalesce(p.name, i.sku), 'quantity', i.quantity)
                                 ORDER BY i.sku) FILTER (WHERE i.sku IS NOT NULL), '[]') AS items
        FROM orders o
        LEFT JOIN order_items i ON i.order_id = o.id
        LEFT JOIN products p ON p.sku = i.sku
        WHERE lower(o.customer_email) = lower(${email})
        GROUP BY o.id
        ORDER BY o.created_at DESC
        LIMIT ${maxOrdersShown}`.catch(explainMissingSchema),

    // One snapshot and one now() for both queries, so the total and the rows agree.
    signInActivity: () =>
      sql
        .begin('isolation level repeatable read read only', async (tx) => {
          const [total] = await tx<{ failed: number }[]>`
            SELECT failed_last_5m::int AS failed FROM alert_failed_logins`;
          const accounts = await tx<AccountUnderAttack[]>`
            SELECT username AS account,
                   count(*)::int AS failed,
                   count(DISTINCT client_ip)::int AS "addressCount",
                   (array_agg(DISTINCT client_ip ORDER BY client_ip))[1:${maxAddressesNamed}] AS addresses,
                   max(created_at) AS "lastAttemptAt"
            FROM recent_failed_logins
            GROUP BY username
            ORDER BY failed DESC, account
            LIMIT ${maxAccountsShown}`;
          return { failedLast5m: total?.failed ?? 0, accounts: [...accounts] };
        })
        .catch(explainMissingSchema),
  };
}
