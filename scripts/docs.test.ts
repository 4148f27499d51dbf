import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertCatalog } from '../grafana/src/catalog.ts';
import { alertTable, readmePath, renderReadme } from './docs.ts';

describe('README tables', () => {
  it('match the alert catalog and the scenario registry (run `npm run docs` after changing them)', () => {
    const readme = readFileSync(readmePath, 'utf8');
    expect(renderReadme(readme)).toBe(readme);
  });

  it('list every alert with its runbook link and time to fire', () => {
    const table = alertTable();
    for (const alert of alertCatalog) {
      expect(table).toContain(`[\`${alert.uid}\`](TROUBLESHOOTING.md#${alert.runbookAnchor})`);
      expect(table).toContain(`~${alert.expectedSecondsToFire} s`);
    }
  });
});
