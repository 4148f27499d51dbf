import { setImmediate as turn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { FakeAlertSource } from '../testing/fake-alert-source.ts';
import type { RunEvent } from '../run/events.ts';
import type { StageSnapshot } from './snapshot.ts';
import { StageState } from './stage-state.ts';

const t0 = Date.parse('2026-12-01T10:00:00Z');

function stageAt(clock: { now: number }) {
  const state = new StageState(
    { kind: 'preview', label: 'preview', values: 'v', notifications: 'n' },
    () => clock.now,
  );
  const published: StageSnapshot[] = [];
  state.subscribe((snapshot) => published.push(snapshot));
  return { state, published };
}

const card = (snapshot: StageSnapshot, id: string) => snapshot.cards.find((c) => c.id === id)!;

describe('StageState', () => {
  it('publishes the changes of one turn as one snapshot, stamped with when the first was seen', async () => {
    const clock = { now: t0 };
    const { state, published } = stageAt(clock);
    state.note('one');
    clock.now += 5;
    state.note('two');
    await turn();
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ seq: 1, changedAtMs: t0, sentAtMs: t0 + 5 });
    expect(published[0]!.log.map((entry) => entry.text)).toEqual(['one', 'two']);
    // An unchanged answer from the source publishes nothing.
    const statuses = await new FakeAlertSource().ruleStatuses();
    state.setStatuses(statuses);
    await turn();
    state.setStatuses(await new FakeAlertSource().ruleStatuses());
    await turn();
    expect(published).toHaveLength(2);
  });

  it("follows a run's events: expectations, traffic, faults, and recovery once its faults are undone", async () => {
    const clock = { now: t0 };
    const { state } = stageAt(clock);
    state.setStatuses(await new FakeAlertSource('preview').ruleStatuses());
    state.setActivity({
      kind: 'run',
      title: 'high-cpu',
      startedAtMs: t0,
      status: '',
      expected: [],
      partStartedAtMs: null,
      stopping: false,
    });
    const start: RunEvent = {
      type: 'start',
      scenario: 'high-cpu',
      story: 'burn',
      plannedSeconds: 60,
      untilFiring: false,
      timeoutSeconds: 300,
      seed: 1,
      alertSource: 'preview',
      expected: [
        { uid: 'high-cpu', title: 'High CPU usage', expectedSeconds: 44 },
        { uid: 'slow-responses', title: 'Slow responses', expectedSeconds: 35 },
      ],
    };
    state.onRunEvent(start);
    let snapshot = state.snapshot();
    expect(snapshot.cards.filter((c) => c.expected).map((c) => c.id)).toEqual([
      'high-cpu service=api',
      'slow-responses service=api',
      'slow-responses service=frontend',
    ]);
    expect(card(snapshot, 'high-cpu service=api').clock).toEqual({ kind: 'expected-in', atMs: t0 + 44_000 });

    clock.now = t0 + 20_000;
    state.onRunEvent({
      type: 'progress',
      scenario: 'high-cpu',
      phase: 'cpu burning',
      elapsedSeconds: 20,
      totalSeconds: 60,
      targetRate: 5,
      achievedRate: 4.9,
      requestRate: 12,
      errorPercent: 0,
      p95Ms: 1400,
      inFlight: 3,
      dropped: 0,
      faults: { api: { cpuBurn: 1 } },
      alertSource: 'preview',
      alerts: null,
    });
    state.setStatuses(
      await new FakeAlertSource('preview')
        .set('slow-responses', [
          { labels: { service: 'api' }, state: 'Alerting', activeSinceMs: t0 + 15_000 },
        ])
        .ruleStatuses(),
    );
    snapshot = state.snapshot();
    expect(snapshot.traffic).toMatchObject({ achievedRate: 4.9, targetRate: 5, endsAtMs: t0 + 60_000 });
    expect(snapshot.faults).toEqual([{ service: 'api', kind: 'cpuBurn', value: 1, endsAtMs: t0 + 60_000 }]);
    expect(card(snapshot, 'slow-responses service=api').state).toBe('Firing');

    clock.now = t0 + 61_000;
    state.onRunEvent({
      type: 'part-summary',
      scenario: 'high-cpu',
      elapsedSeconds: 61,
      faultsLeft: [],
    } as unknown as RunEvent);
    snapshot = state.snapshot();
    expect(snapshot.traffic).toBeNull();
    expect(snapshot.faults).toEqual([]);
    expect(card(snapshot, 'slow-responses service=api')).toMatchObject({
      state: 'Recovering',
      clock: { kind: 'resolves-in' },
    });
    expect(snapshot.log.at(-1)?.text).toMatch(/high-cpu finished after 1:01 .*faults undone/);
  });

  it('gives an instance seen active a card of its own, and keeps it', async () => {
    const { state } = stageAt({ now: t0 });
    state.setStatuses(
      await new FakeAlertSource()
        .set('low-inventory', [{ labels: { sku: 'SF-1009' }, state: 'Alerting' }])
        .ruleStatuses(),
    );
    state.setStatuses(await new FakeAlertSource().ruleStatuses());
    expect(card(state.snapshot(), 'low-inventory sku=SF-1009')).toMatchObject({ state: 'Normal' });
  });
});
