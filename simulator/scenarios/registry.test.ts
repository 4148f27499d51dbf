import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertCatalog } from '../../domain/alerts.ts';
import { faultRequestSchema } from '../../domain/faults.ts';
import {
  expectedAlerts,
  expectedFiringSeconds,
  firingMarginSeconds,
  scenarioDurationSeconds,
  scenarioForAlert,
  scenarioParts,
  scenarios,
} from './registry.ts';
import { scenarioNames } from '../../domain/scenarios.ts';
import { phasesSeconds, type Journey } from './scenario.ts';
import { type ServiceName } from '../../domain/services.ts';

const initSql = readFileSync(new URL('../../postgres/init.sql', import.meta.url), 'utf8');

function skusOf(journey: Journey): string[] {
  return 'skus' in journey ? (journey.skus ?? []) : [];
}

describe('scenario registry', () => {
  it('has every scenario of the catalog, under its own name', () => {
    const named = new Set(alertCatalog.flatMap((alert) => alert.scenarios));
    for (const name of named) expect(scenarioNames).toContain(name);
    for (const name of scenarioNames) expect(scenarios[name].name).toBe(name);
  });

  it.each(scenarioNames)('%s runs at least as long as its alerts need to fire', (name) => {
    const scenario = scenarios[name];
    for (const alert of expectedAlerts(scenario)) {
      const fireAt = expectedFiringSeconds(scenario, alert);
      expect(fireAt, alert.uid).toBeDefined();
      // Within the part that fires it: the part must outlast the alert's pipeline.
      const part = scenarioParts(scenario).find((p) => alert.scenarios.includes(p.name));
      expect(part).toBeDefined();
      const partStart = scenarioParts(scenario)
        .slice(0, scenarioParts(scenario).indexOf(part!))
        .reduce((sum, p) => sum + phasesSeconds(p.phases), 0);
      expect(partStart + phasesSeconds(part!.phases), alert.uid).toBeGreaterThanOrEqual(
        (fireAt as number) + firingMarginSeconds,
      );
    }
    expect(scenarioDurationSeconds(scenario)).toBeGreaterThan(0);
  });

  it.each(scenarioNames.filter((name) => name !== 'all'))(
    '%s fires each of its alerts within 45 s of its start (worst case on the Docker stack)',
    (name) => {
      for (const alert of expectedAlerts(scenarios[name]))
        expect(expectedFiringSeconds(scenarios[name], alert), alert.uid).toBeLessThanOrEqual(45);
    },
  );

  it('expects no alert from normal, every alert from all, and the catalogue’s pairs elsewhere', () => {
    expect(expectedAlerts(scenarios.normal)).toEqual([]);
    expect(
      expectedAlerts(scenarios.all)
        .map((a) => a.uid)
        .sort(),
    ).toEqual(alertCatalog.map((a) => a.uid).sort());
    expect(
      expectedAlerts(scenarios['payment-failures'])
        .map((a) => a.uid)
        .sort(),
    ).toEqual(['high-error-rate', 'payment-failures']);
    expect(
      expectedAlerts(scenarios['flash-sale'])
        .map((a) => a.uid)
        .sort(),
    ).toEqual(['critical-inventory', 'low-inventory']);
  });

  it('finds the scenario that fires each alert', () => {
    for (const alert of alertCatalog) {
      const scenario = scenarioForAlert(alert);
      expect(scenario, alert.uid).toBeDefined();
      expect(expectedAlerts(scenario!).map((a) => a.uid)).toContain(alert.uid);
    }
  });

  it('names only products of the seed catalogue', () => {
    for (const part of scenarioParts(scenarios.all)) {
      for (const phase of part.phases) {
        for (const entry of phase.mix) {
          for (const sku of skusOf(entry.journey))
            expect(initSql, `${part.name}: ${sku}`).toContain(`('${sku}'`);
        }
      }
    }
  });

  it("sets only faults the named service's PUT /admin/faults accepts", () => {
    for (const part of scenarioParts(scenarios.all)) {
      for (const phase of part.phases) {
        for (const [service, faults] of Object.entries(phase.faults ?? {})) {
          const parsed = faultRequestSchema(service as ServiceName).safeParse(faults);
          expect(parsed.error, `${part.name} ${phase.name} ${service}`).toBeUndefined();
        }
      }
    }
  });
});
