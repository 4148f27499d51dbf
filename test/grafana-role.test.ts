import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { grafanaDatabaseRole } from '../grafana/src/datasources.ts';
import { repoRoot } from '../scripts/native/paths.ts';
import { provisionedRuleGroups } from '../simulator/preview/rule-document.ts';
import { sql, sqlAs } from './support/stack.ts';

// Grafana's PostgreSQL data source signs in as a read-only role (postgres/init.sql): every query of
// the generated dashboards and rules must run as it, and nothing else may.
const stack = inject('stack');

const grafana = sqlAs(stack, grafanaDatabaseRole);
afterAll(() => grafana.end());

/** Every rawSql of the provisioned dashboards (panels nest in rows, so the whole tree is searched). */
function dashboardQueries(): string[] {
  const dir = join(repoRoot, 'grafana', 'provisioning', 'dashboards', 'shopfast');
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'rawSql' && typeof value === 'string') found.push(value);
        else walk(value);
      }
    }
  };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')))
    walk(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  return found;
}

function ruleQueries(): string[] {
  return provisionedRuleGroups()
    .flatMap((group) => group.rules)
    .flatMap((rule) =>
      rule.data.filter((q) => q.datasourceUid === 'postgres').map((q) => String(q.model.rawSql ?? '')),
    );
}

/** Grafana's time macros, as its PostgreSQL data source expands them, over the last hour. */
function expandMacros(rawSql: string): string {
  const expanded = rawSql
    .replace(/\$__timeFilter\((\w+)\)/g, "$1 BETWEEN now() - interval '1 hour' AND now()")
    .replace(
      /\$__timeGroupAlias\((\w+), *(\d+)m\)/g,
      (_, column: string, minutes: string) =>
        `to_timestamp(floor(extract(epoch FROM ${column}) / ${Number(minutes) * 60}) * ${Number(minutes) * 60}) AS "time"`,
    );
  if (expanded.includes('$__')) throw new Error(`a macro this test does not expand: ${rawSql}`);
  return expanded;
}

async function sqlState(query: Promise<unknown>): Promise<string> {
  return query.then(
    () => 'succeeded',
    (err: { code?: string }) => err.code ?? 'no code',
  );
}

describe(`PostgreSQL role ${grafanaDatabaseRole}`, () => {
  it('runs every query of the dashboards and the alert rules', async () => {
    const queries = [...dashboardQueries(), ...ruleQueries()];
    expect(queries.length).toBeGreaterThanOrEqual(8);
    for (const rawSql of queries) {
      await expect(grafana.unsafe(expandMacros(rawSql)), rawSql).resolves.toBeDefined();
    }
  });

  it('can SELECT the alert views, and sees through them what it cannot read itself', async () => {
    const failedLogins = async () =>
      Number((await grafana`SELECT failed_last_5m FROM alert_failed_logins`)[0]!.failed_last_5m);
    const before = await failedLogins();
    const owner = sql(stack);
    try {
      await owner`INSERT INTO login_attempts (username, client_ip, success)
        VALUES ('grafana-role@example.com', '192.0.2.77', false)`;
      expect(await failedLogins()).toBe(before + 1);
    } finally {
      await owner`DELETE FROM login_attempts WHERE username = 'grafana-role@example.com'`;
      await owner.end();
    }
    const levels = await grafana`SELECT sku, stock, low_stock_threshold FROM alert_inventory_levels`;
    expect(levels.length).toBe(10);
  });

  it('cannot INSERT, UPDATE or DELETE, not even in a read-write transaction', async () => {
    // 25006: the role's transactions are read-only by default.
    expect(await sqlState(grafana`INSERT INTO orders (status, total_cents) VALUES ('paid', 1)`)).toBe(
      '25006',
    );
    // 42501: and it holds no write privilege once that default is lifted.
    const writes = [
      "INSERT INTO orders (status, total_cents) VALUES ('paid', 1)",
      "UPDATE products SET stock = 0 WHERE sku = 'SF-1001'",
      'DELETE FROM login_attempts',
      'CREATE TABLE grafana_was_here (id int)',
    ];
    for (const write of writes) {
      const state = await sqlState(grafana.begin('read write', (tx) => tx.unsafe(write)));
      expect(state, write).toBe('42501');
    }
  });

  it('cannot read what no dashboard shows: e-mail addresses, users, login attempts, incidents', async () => {
    for (const read of [
      'SELECT customer_email FROM orders',
      'SELECT * FROM orders',
      'SELECT password_hash FROM users',
      'SELECT client_ip FROM login_attempts',
      'SELECT * FROM payments',
      'SELECT * FROM status_incidents',
    ]) {
      expect(await sqlState(grafana.unsafe(read)), read).toBe('42501');
    }
  });
});
