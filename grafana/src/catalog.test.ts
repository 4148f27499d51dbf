import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { alertByUid, alertCatalog, ruleGroup, type ScenarioName } from './catalog.ts';

const scenarios: ScenarioName[] = [
  'normal',
  'flash-sale',
  'payment-failures',
  'high-cpu',
  'security-breach',
  'low-inventory',
  'all',
];

describe('alert catalog', () => {
  it('holds the seven alerts with unique uids Grafana accepts', () => {
    const uids = alertCatalog.map((alert) => alert.uid);
    expect(uids).toEqual([
      'high-cpu',
      'high-error-rate',
      'slow-responses',
      'payment-failures',
      'low-inventory',
      'critical-inventory',
      'failed-logins',
    ]);
    for (const uid of uids) expect(uid).toMatch(/^[a-z0-9-]{1,40}$/);
  });

  it('fires every alert within 90 s of its scenario, by the recorded arithmetic', () => {
    for (const alert of alertCatalog) {
      const { signalDelaySeconds, windowFillSeconds, evaluationWaitSeconds, pendingSeconds } = alert.timing;
      expect(alert.expectedSecondsToFire).toBe(
        signalDelaySeconds + windowFillSeconds + evaluationWaitSeconds + pendingSeconds,
      );
      expect(alert.expectedSecondsToFire, alert.uid).toBeLessThanOrEqual(90);
      expect(evaluationWaitSeconds).toBe(ruleGroup.intervalSeconds);
      expect(alert.pendingPeriod).toBe(`${pendingSeconds}s`);
    }
  });

  it('leaves thresholds to Grafana: no comparison inside a query', () => {
    for (const alert of alertCatalog) {
      expect(alert.query, alert.uid).not.toMatch(/\s(>|<|>=|<=|==)\s|\bHAVING\b/i);
    }
  });

  it('maps scenarios to alerts: normal fires nothing, every other scenario fires something', () => {
    for (const alert of alertCatalog) {
      for (const scenario of alert.scenarios) expect(scenarios).toContain(scenario);
      expect(alert.scenarios).not.toContain('normal');
      expect(alert.scenarios.length).toBeGreaterThan(0);
    }
    for (const scenario of scenarios.filter((name) => name !== 'normal' && name !== 'all')) {
      expect(
        alertCatalog.some((alert) => alert.scenarios.includes(scenario)),
        scenario,
      ).toBe(true);
    }
  });

  it('labels per-service alerts from the series and fixed-service alerts by name', () => {
    for (const alert of alertCatalog) {
      if (alert.service === 'all') {
        expect(alert.instanceLabels).toContain('service');
        expect(alert.query).toContain('by (service');
      } else expect(['api', 'frontend', 'payment', 'inventory']).toContain(alert.service);
    }
  });

  it('agrees with the time to fire TROUBLESHOOTING.md states for each alert', async () => {
    const runbook = await readFile(new URL('../../TROUBLESHOOTING.md', import.meta.url), 'utf8');
    for (const alert of alertCatalog) {
      const section = runbook.split(`<a id="${alert.runbookAnchor}"></a>`)[1]?.split('<a id=')[0] ?? '';
      expect(section, alert.uid).toContain(`in about ${alert.expectedSecondsToFire} s`);
    }
  });

  it('finds alerts by uid', () => {
    expect(alertByUid('failed-logins')?.datasource).toBe('postgres');
    expect(alertByUid('no-such-alert')).toBeUndefined();
  });

  it('evaluates in one group every 10 s', () => {
    expect(ruleGroup).toEqual({ name: 'shopfast-alerts', folder: 'ShopFast', intervalSeconds: 10 });
  });
});
