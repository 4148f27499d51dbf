import { describe, expect, it } from 'vitest';
import { cardPhase, healthy, type PhaseInput } from './card-phase.ts';

const t0 = Date.parse('2026-12-01T10:00:00Z'); // a tick: a multiple of 10 s
const at = (seconds: number) => t0 + seconds * 1000;

const base: PhaseInput = {
  state: 'Normal',
  pendingSeconds: 10,
  intervalSeconds: 10,
  threshold: { op: 'gt', value: 4 },
  resolveSeconds: 10,
  nowMs: at(0),
};

describe('cardPhase', () => {
  it('counts a Pending instance down to the evaluation that fires it', () => {
    expect(cardPhase({ ...base, state: 'Pending', activeSinceMs: at(20), nowMs: at(23) })).toEqual({
      state: 'Pending',
      clock: { kind: 'fires-in', atMs: at(30) },
    });
    // A pending period that is not a whole number of intervals fires at the tick after it.
    expect(cardPhase({ ...base, state: 'Pending', pendingSeconds: 15, activeSinceMs: at(20) }).clock).toEqual(
      {
        kind: 'fires-in',
        atMs: at(40),
      },
    );
  });

  it('counts Firing up from when it fired while the value is still over the threshold', () => {
    const phase = cardPhase({
      ...base,
      state: 'Firing',
      activeSinceMs: at(30),
      latest: { atMs: at(40), value: 9 },
      nowMs: at(45),
    });
    expect(phase).toEqual({ state: 'Firing', clock: { kind: 'firing-for', atMs: at(30) } });
  });

  it('reads Recovering once the value is back on the healthy side, resolving at the next evaluation', () => {
    const phase = cardPhase({
      ...base,
      state: 'Firing',
      activeSinceMs: at(30),
      latest: { atMs: at(60), value: 2 },
      nowMs: at(61),
    });
    expect(phase).toMatchObject({ state: 'Recovering', clock: { kind: 'resolves-in', atMs: at(70) } });
    expect(phase.reason).toMatch(/healthy side/);
  });

  it('reads Recovering after a reset that came after it fired, for the catalog’s resolve time', () => {
    const firing = { ...base, state: 'Firing', activeSinceMs: at(30), latest: { atMs: at(40), value: 9 } };
    expect(cardPhase({ ...firing, clearedAtMs: at(50), resolveSeconds: 40, nowMs: at(52) })).toMatchObject({
      state: 'Recovering',
      clock: { kind: 'resolves-in', atMs: at(90) },
    });
    // A reset before this episode fired says nothing about it.
    expect(cardPhase({ ...firing, clearedAtMs: at(10), nowMs: at(52) }).state).toBe('Firing');
  });

  it('does not read an old healthy value, from before it fired, as recovery', () => {
    const phase = cardPhase({
      ...base,
      state: 'Firing',
      activeSinceMs: at(30),
      latest: { atMs: at(20), value: 0 },
    });
    expect(phase.state).toBe('Firing');
  });

  it("keeps Grafana's own Recovering (keep firing for) with its clock", () => {
    expect(cardPhase({ ...base, state: 'Recovering', activeSinceMs: at(30) })).toEqual({
      state: 'Recovering',
      clock: { kind: 'recovering-for', atMs: at(30) },
    });
  });

  it('shows when a Normal instance is expected to fire, only until then', () => {
    expect(cardPhase({ ...base, expectedFireAtMs: at(18), nowMs: at(5) }).clock).toEqual({
      kind: 'expected-in',
      atMs: at(18),
    });
    expect(cardPhase({ ...base, expectedFireAtMs: at(18), nowMs: at(19) }).clock).toBeNull();
  });

  it('shows NoData and Error with how long, and anything else as Unknown', () => {
    expect(cardPhase({ ...base, state: 'Error', activeSinceMs: at(3) })).toEqual({
      state: 'Error',
      clock: { kind: 'since', atMs: at(3) },
    });
    expect(cardPhase({ ...base, state: 'Unknown' })).toEqual({ state: 'Unknown', clock: null });
  });
});

describe('healthy', () => {
  it('compares as the threshold expression does, and says nothing of no value', () => {
    expect(healthy(4, { op: 'gt', value: 4 })).toBe(true);
    expect(healthy(4.1, { op: 'gt', value: 4 })).toBe(false);
    expect(healthy(0, { op: 'lt', value: 1 })).toBe(false);
    expect(healthy(1, { op: 'lt', value: 1 })).toBe(true);
    expect(healthy(null, { op: 'gt', value: 4 })).toBeUndefined();
    expect(healthy(Number.NaN, { op: 'gt', value: 4 })).toBeUndefined();
  });
});
