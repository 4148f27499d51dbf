import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoShoppers } from './shoppers.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('demo shoppers', () => {
  it("README.md's table lists exactly these shoppers and their passwords", () => {
    const table = readme.match(/^\| email \| password \|\n\|---\|---\|\n((?:\|.*\|\n)+)/m);
    expect(table, 'README.md has no "| email | password |" table').not.toBeNull();
    const rows = table![1]!.trim().split('\n');
    expect(rows).toEqual(demoShoppers.map((s) => `| ${s.email} | ${s.password} |`));
  });

  it('have distinct, lower-case emails (the api looks accounts up in lower case)', () => {
    const emails = demoShoppers.map((s) => s.email);
    expect(new Set(emails).size).toBe(emails.length);
    for (const email of emails) expect(email).toBe(email.toLowerCase());
  });
});
