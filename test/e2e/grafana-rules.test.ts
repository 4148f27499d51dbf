// The e2e suite reads alert states through this parser; it is checked here, without Docker, against a
// response shaped like Grafana 12's (fixtures/prometheus-rules-response.json: see its README upstream).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertCatalog } from '../../grafana/src/catalog.ts';
import { ruleStatuses, uidsIn } from './grafana-rules.ts';

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures/prometheus-rules-response.json'), 'utf8'),
) as unknown;

describe('ruleStatuses', () => {
  it('reads one status per rule across groups, with the rule-level state', () => {
    const statuses = ruleStatuses(fixture);
    expect(statuses.map((s) => s.uid).sort()).toEqual(alertCatalog.map((a) => a.uid).sort());
    expect(uidsIn(statuses, 'firing')).toEqual(['high-error-rate']);
    expect(uidsIn(statuses, 'pending')).toEqual(['slow-responses']);
    expect(statuses.find((s) => s.uid === 'failed-logins')).toMatchObject({
      state: 'inactive',
      health: 'nodata',
    });
  });

  it('refuses an error response and a rule with an unknown state', () => {
    expect(() => ruleStatuses({ status: 'error', errorType: 'bad_data', error: 'invalid state' })).toThrow(
      /not a successful rules response/,
    );
    const odd = { status: 'success', data: { groups: [{ rules: [{ uid: 'x', state: 'Alerting' }] }] } };
    expect(() => ruleStatuses(odd)).toThrow(/unexpected rule/);
  });
});
