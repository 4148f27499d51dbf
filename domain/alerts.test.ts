import { describe, expect, it } from 'vitest';
import { alertByUid, alertCatalog, ruleGroup } from './alerts.ts';
import { scenarioNames } from './scenarios.ts';
import { serviceNames } from './services.ts';

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

  it('keeps the stage goals: fires within 45 s of the incident, Normal within 45 s of reset', () => {
    for (const alert of alertCatalog) {
      expect(alert.expectedSecondsToFire, alert.uid).toBeLessThanOrEqual(45);
      expect(alert.expectedSecondsToResolve, alert.uid).toBeLessThanOrEqual(45);
      expect(alert.timing.evaluationWaitSeconds).toBe(ruleGroup.intervalSeconds);
      expect(alert.resolveTiming.evaluationWaitSeconds).toBe(ruleGroup.intervalSeconds);
      expect(alert.pendingPeriod).toBe(`${alert.timing.pendingSeconds}s`);
    }
  });

  it('names each fired instance by exactly the rule’s instance labels', () => {
    for (const alert of alertCatalog) {
      for (const instances of Object.values(alert.firesIn)) {
        expect(instances.length, alert.uid).toBeGreaterThan(0);
        for (const labels of instances)
          expect(Object.keys(labels).sort()).toEqual([...alert.instanceLabels].sort());
      }
      expect(alert.scenarios).toEqual(Object.keys(alert.firesIn));
    }
  });

  it('leaves thresholds to Grafana: no comparison inside a query', () => {
    for (const alert of alertCatalog) {
      expect(alert.query, alert.uid).not.toMatch(/\s(>|<|>=|<=|==)\s|\bHAVING\b/i);
    }
  });

  it('maps scenarios to alerts: normal fires nothing, every other scenario fires something', () => {
    for (const alert of alertCatalog) {
      for (const scenario of alert.scenarios) expect(scenarioNames).toContain(scenario);
      expect(alert.scenarios).not.toContain('normal');
      expect(alert.scenarios.length).toBeGreaterThan(0);
    }
    for (const scenario of scenarioNames.filter((name) => name !== 'normal' && name !== 'all')) {
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
      } else expect(serviceNames).toContain(alert.service);
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
