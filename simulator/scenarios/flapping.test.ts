import { describe, expect, it } from 'vitest';
import { alertByUid, rateWindowSeconds, ruleGroup, signalDelaySeconds } from '../../domain/alerts.ts';
import { evaluateRule } from '../preview/evaluate-rule.ts';
import { RuleInstances } from '../preview/instance-states.ts';
import { provisionedRuleGroups, type PreviewRule } from '../preview/rule-document.ts';
import { flapping } from './flapping.ts';

// The flapping scenario's CPU signal through the generated high-cpu rule, as the rule preview
// evaluates it: the api's 20-second CPU rate as Prometheus would give it (each second the burn tops
// the process up to, or the traffic's own use when higher, averaged over the window a scrape
// behind), every 10 s.
const trafficCpu = 0.05;

function burnAt(second: number): number {
  let start = 0;
  for (const phase of flapping.phases) {
    if (second < start + phase.durationSeconds) return Math.max(phase.faults?.api?.cpuBurn ?? 0, trafficCpu);
    start += phase.durationSeconds;
  }
  return trafficCpu;
}

function rateAt(second: number): number {
  const end = second - signalDelaySeconds.prometheus;
  let total = 0;
  for (let s = end - rateWindowSeconds; s < end; s++) total += burnAt(s);
  return total / rateWindowSeconds;
}

/** How many firing and resolved notifications the rule's state changes make over the scenario. */
async function notificationsFor(rule: PreviewRule): Promise<{ firing: number; resolved: number }> {
  const instances = new RuleInstances(rule, ruleGroup.intervalSeconds);
  const source = {
    query: (_model: unknown, atMs: number) =>
      Promise.resolve({
        kind: 'numbers' as const,
        numbers: [{ labels: { service: 'api' }, value: rateAt(atMs / 1000) }],
      }),
  };
  const counts = { firing: 0, resolved: 0 };
  const totalSeconds = flapping.phases.reduce((sum, phase) => sum + phase.durationSeconds, 0) + 60;
  for (let second = 0; second <= totalSeconds; second += ruleGroup.intervalSeconds) {
    const evaluation = await evaluateRule(
      rule,
      { prometheus: source },
      second * 1000,
      instances.loadedResultKeys(),
    );
    if (!evaluation.evaluated) throw new Error(evaluation.reason);
    for (const change of instances.apply(evaluation.results, second * 1000)) {
      if (change.to === 'Alerting') counts.firing++;
      if (change.to === 'Normal' && change.from !== 'Pending') counts.resolved++;
    }
  }
  return counts;
}

const highCpuRule = provisionedRuleGroups({})[0]!.rules.find((rule) => rule.uid === 'high-cpu')!;

/** The same rule without its recovery threshold. */
function withoutRecoveryThreshold(rule: PreviewRule): PreviewRule {
  return {
    ...rule,
    data: rule.data.map((query) => {
      const conditions = query.model.conditions as { evaluator: unknown }[] | undefined;
      return conditions
        ? {
            ...query,
            model: { ...query.model, conditions: conditions.map(({ evaluator }) => ({ evaluator })) },
          }
        : query;
    }),
  };
}

describe('the flapping scenario', () => {
  it('dips under the firing threshold in every lull, never under the recovery threshold', () => {
    const recovery = alertByUid('high-cpu')!.calmRecovery!.recoverWhen!.value;
    const threshold = alertByUid('high-cpu')!.threshold.value;
    // Each lull's lowest rate: its last second, a scrape later.
    const lullBottoms = [70, 115].map(rateAt);
    for (const rate of lullBottoms) expect(rate).toBeLessThan(threshold);
    const incident = Array.from({ length: 80 }, (_, i) => rateAt(45 + i));
    expect(Math.min(...incident)).toBeGreaterThan(recovery);
  });

  it('makes one firing and one resolved notification with the recovery threshold', async () => {
    expect(await notificationsFor(highCpuRule)).toEqual({ firing: 1, resolved: 1 });
  });

  it('would make a pair at every lull without it', async () => {
    const counts = await notificationsFor(withoutRecoveryThreshold(highCpuRule));
    expect(counts.firing).toBe(2); // the figure TALK_NOTES.md gives
    expect(counts.resolved).toBe(counts.firing);
  });
});
