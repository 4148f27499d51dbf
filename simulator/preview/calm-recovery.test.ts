import { describe, expect, it } from 'vitest';
import { evaluateRule } from './evaluate-rule.ts';
import { RuleInstances, type InstanceState } from './instance-states.ts';
import type { PreviewRule } from './rule-document.ts';
import { numbers, scriptedSource, testRule } from '../testing/test-rule.ts';

// Calm recovery as Grafana's state manager and expressions do it, tick by tick (10 s apart):
// the recovery threshold (pkg/expr/hysteresis.go, schedule/loaded_metrics_reader.go) and
// keepFiringFor's Recovering state (state/state.go resultNormal / resultAlerting; the sequences of
// state/manager_test.go "normal -> alerting -> normal (recovering) -> ... -> normal (resolved)").

/** The instance's state after each tick, for a series answering `values` in turn. */
async function statesOver(rule: PreviewRule, values: number[]): Promise<InstanceState[]> {
  const source = scriptedSource(values.map((value) => numbers([{ service: 'api' }, value])));
  const instances = new RuleInstances(rule, 10);
  const states: InstanceState[] = [];
  for (let tick = 0; tick < values.length; tick++) {
    const atMs = 1_700_000_000_000 + tick * 10_000;
    const evaluation = await evaluateRule(rule, { fake: source }, atMs, instances.loadedResultKeys());
    if (!evaluation.evaluated) throw new Error(evaluation.reason);
    instances.apply(evaluation.results, atMs);
    states.push(instances.instances()[0]!.state);
  }
  return states;
}

describe('the recovery threshold (fires above 5, recovers below 3)', () => {
  const rule = testRule({ above: 5, recoverBelow: 3 });

  it('keeps a firing series firing while it hovers between the two thresholds', async () => {
    expect(await statesOver(rule, [6, 4, 4.5, 3.5, 2, 4])).toEqual([
      'Alerting',
      'Alerting', // 4 is under 5 but not under 3: still loaded, still firing
      'Alerting',
      'Alerting',
      'Normal', // under 3: recovered
      'Normal', // 4 no longer fires: an unloaded series needs more than 5 again
    ]);
  });

  it('without it, the same signal flaps at every dip', async () => {
    expect(await statesOver(testRule({ above: 5 }), [6, 4, 6, 4])).toEqual([
      'Alerting',
      'Normal',
      'Alerting',
      'Normal',
    ]);
  });

  it('holds a pending series to the recovery threshold too (loaded = Alerting or Pending)', async () => {
    expect(
      await statesOver(testRule({ above: 5, recoverBelow: 3, forSeconds: 20 }), [6, 4, 4, 6, 2]),
    ).toEqual([
      'Pending',
      'Pending',
      'Alerting', // 20 s after it began, though 4 is under 5
      'Alerting',
      'Normal',
    ]);
  });

  it('is refused on an expression that is not the condition, as eval.go refuses it', async () => {
    const rule = testRule({ recoverBelow: 3, condition: 'B' });
    const evaluation = await evaluateRule(rule, { fake: scriptedSource([]) }, 0);
    expect(evaluation).toMatchObject({
      evaluated: false,
      reason: expect.stringMatching(/not the condition/),
    });
  });
});

describe('keepFiringFor 20 s', () => {
  const rule = testRule({ above: 5, keepFiringForSeconds: 20 });

  it('goes Recovering when the condition clears and Normal once 20 s have passed', async () => {
    expect(await statesOver(rule, [6, 1, 1, 1])).toEqual(['Alerting', 'Recovering', 'Recovering', 'Normal']);
  });

  it('fires again at once from Recovering, skipping Pending even with a pending period', async () => {
    const withFor = testRule({ above: 5, keepFiringForSeconds: 20, forSeconds: 10 });
    expect(await statesOver(withFor, [6, 6, 1, 6, 1, 1, 1])).toEqual([
      'Pending',
      'Alerting',
      'Recovering',
      'Alerting', // straight back, no Pending
      'Recovering',
      'Recovering',
      'Normal',
    ]);
  });

  it('lets a Pending instance that clears go straight to Normal (only Alerting recovers)', async () => {
    expect(
      await statesOver(testRule({ above: 5, keepFiringForSeconds: 20, forSeconds: 30 }), [6, 1]),
    ).toEqual(['Pending', 'Normal']);
  });
});
