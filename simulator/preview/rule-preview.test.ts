import { describe, expect, it } from 'vitest';
import type { PreviewRuleGroup } from './rule-document.ts';
import { RulePreview, type RuleEvaluationEvent, type RuleTransition } from './rule-preview.ts';
import { numbers, scriptedSource, testRule } from '../testing/test-rule.ts';
import type { PreviewClock } from './tick-schedule.ts';

/** A clock whose timers run only when the test moves time on. */
function manualClock(startMs: number) {
  let now = startMs;
  const timers: { atMs: number; fn: () => void }[] = [];
  const clock: PreviewClock = {
    now: () => now,
    at: (atMs, fn) => {
      const timer = { atMs, fn };
      timers.push(timer);
      return () => void timers.splice(timers.indexOf(timer), 1);
    },
  };
  return {
    clock,
    scheduled: () => timers.map((t) => t.atMs),
    /** Moves to the next timer, runs it and lets its evaluation finish. */
    async nextTick(): Promise<number> {
      timers.sort((a, b) => a.atMs - b.atMs);
      const timer = timers.shift();
      if (!timer) throw new Error('nothing scheduled');
      now = timer.atMs + 3; // the timer fires a little late; the tick time is what counts
      timer.fn();
      for (let i = 0; i < 20; i++) await Promise.resolve();
      return timer.atMs;
    },
  };
}

const group = (rules = [testRule({ forSeconds: 20 })], intervalSeconds = 10): PreviewRuleGroup => ({
  name: 'g',
  folder: 'f',
  intervalSeconds,
  rules,
});

describe('RulePreview', () => {
  it('evaluates on the aligned ticks with the tick time, holding `for`', async () => {
    const source = scriptedSource([numbers([{}, 9]), numbers([{}, 9]), numbers([{}, 9]), numbers([{}, 1])]);
    const time = manualClock(1_700_000_004_321);
    const preview = new RulePreview({ groups: [group()], sources: { fake: source }, clock: time.clock });
    const seen: RuleTransition[] = [];
    const evaluated: RuleEvaluationEvent[] = [];
    preview.onTransition((t) => seen.push(t));
    preview.onEvaluation((e) => evaluated.push(e));

    preview.start();
    expect(time.scheduled()).toEqual([1_700_000_010_000]);
    const ticks = [await time.nextTick(), await time.nextTick()];
    expect(preview.ruleStatus('test-rule')).toMatchObject({
      state: 'Pending',
      pendingInstances: 1,
      pendingSeconds: 20,
      activeSinceMs: ticks[0],
    });
    ticks.push(await time.nextTick());
    expect(preview.ruleStatus('test-rule')).toMatchObject({
      state: 'Firing',
      firingInstances: 1,
      activeSinceMs: ticks[2],
    });
    ticks.push(await time.nextTick());

    expect(ticks).toEqual([1_700_000_010_000, 1_700_000_020_000, 1_700_000_030_000, 1_700_000_040_000]);
    expect(source.times).toEqual(ticks);
    expect(preview.lastTickMs).toBe(ticks[3]);
    expect(seen.map((t) => [t.from, t.to, t.atMs, t.value])).toEqual([
      ['Normal', 'Pending', ticks[0], 9],
      ['Pending', 'Alerting', ticks[2], 9],
      ['Alerting', 'Normal', ticks[3], 1],
    ]);
    expect(preview.transitions()).toEqual(seen);
    expect(evaluated.map((e) => e.state)).toEqual(['Pending', 'Pending', 'Firing', 'Normal']);

    await preview.stop();
    expect(time.scheduled()).toEqual([]);
  });

  it('ticks a 60 s group on minute boundaries', () => {
    const time = manualClock(1_700_000_004_321);
    const preview = new RulePreview({
      groups: [group(undefined, 60)],
      sources: { fake: scriptedSource([]) },
      clock: time.clock,
    });
    preview.start();
    expect(time.scheduled()).toEqual([1_700_000_040_000]);
    void preview.stop();
  });

  it('reports rules as Grafana’s rules API would, instances with labels and since', async () => {
    const rule = testRule({ uid: 'per-sku', labels: { severity: 'critical' } });
    const preview = new RulePreview({
      groups: [group([rule])],
      sources: { fake: scriptedSource([numbers([{ sku: 'A' }, 9], [{ sku: 'B' }, 1])]) },
    });
    await preview.evaluateAt(50_000);
    const status = (await preview.ruleStatuses()).get('per-sku');
    expect(status).toEqual({
      uid: 'per-sku',
      title: 'Test rule',
      state: 'Firing',
      health: 'ok',
      firingInstances: 1,
      pendingInstances: 0,
      pendingSeconds: 0,
      activeSinceMs: 50_000,
      instances: [{ labels: { severity: 'critical', sku: 'A' }, state: 'Alerting', activeSinceMs: 50_000 }],
    });
    expect(preview.instances('per-sku').map((i) => i.state)).toEqual(['Alerting', 'Normal']);
  });

  it('shows an Error as health error with the message, NoData as nodata', async () => {
    const preview = new RulePreview({
      groups: [
        group([
          testRule({ uid: 'err' }),
          testRule({
            uid: 'nodata',
            noDataState: 'NoData',
            data: testRule().data.map((q) => (q.refId === 'A' ? { ...q, datasourceUid: 'empty' } : q)),
          }),
        ]),
      ],
      sources: { fake: scriptedSource([new Error('timeout')]), empty: scriptedSource([{ kind: 'noData' }]) },
    });
    await preview.evaluateAt(10_000);
    const statuses = await preview.ruleStatuses();
    expect(statuses.get('err')).toMatchObject({ state: 'Normal', health: 'error', lastError: '[A] timeout' });
    expect(statuses.get('err')?.instances).toEqual([{ labels: {}, state: 'Error', activeSinceMs: 10_000 }]);
    expect(statuses.get('nodata')).toMatchObject({ state: 'Normal', health: 'nodata' });
  });

  it('a rule whose data source is not configured is "not evaluated", never silently Normal', async () => {
    const preview = new RulePreview({ groups: [group()], sources: {} });
    await preview.evaluateAt(10_000);
    expect(preview.notEvaluated()).toEqual(
      new Map([['test-rule', expect.stringMatching(/"fake" data source, which is not configured/)]]),
    );
    expect(preview.ruleStatus('test-rule')).toMatchObject({
      health: 'unknown',
      lastError: expect.stringMatching(/^not evaluated: /),
    });
  });

  it('a listener that throws does not stop the evaluation', async () => {
    const preview = new RulePreview({
      groups: [group([testRule()])],
      sources: { fake: scriptedSource([numbers([{}, 9])]) },
    });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      preview.onTransition(() => {
        throw new Error('listener bug');
      });
      await preview.evaluateAt(10_000);
    } finally {
      console.error = original;
    }
    expect(preview.ruleStatus('test-rule')?.state).toBe('Firing');
    expect(errors).toHaveLength(1);
  });

  it('unsubscribes', async () => {
    const preview = new RulePreview({
      groups: [group([testRule()])],
      sources: { fake: scriptedSource([numbers([{}, 9])]) },
    });
    const seen: RuleTransition[] = [];
    preview.onTransition((t) => seen.push(t))();
    await preview.evaluateAt(10_000);
    expect(seen).toEqual([]);
  });
});
