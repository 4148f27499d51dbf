import type { CardState, ClockView } from './snapshot.ts';

export interface PhaseInput {
  /** The instance's state as the source reports it (instanceState words: Normal, Pending, Firing…), or Unknown. */
  state: string;
  activeSinceMs?: number;
  pendingSeconds: number;
  intervalSeconds: number;
  threshold: { op: 'gt' | 'lt'; value: number };
  /** The latest value of the instance's query, and the evaluation it came from. */
  latest?: { atMs: number; value: number | null };
  /** The latest reset, or the end of a scenario whose faults caused the alert. */
  clearedAtMs?: number;
  /** The catalog's worst case from the cause's end to Normal. */
  resolveSeconds: number;
  /** Normal, and the running scenario should fire it at about this time. */
  expectedFireAtMs?: number;
  nowMs: number;
}

export interface CardPhase {
  state: CardState;
  clock: ClockView | null;
  reason?: string;
}

/** The value is on the healthy side of the threshold (null and NaN say nothing). */
export function healthy(value: number | null, threshold: PhaseInput['threshold']): boolean | undefined {
  if (value === null || Number.isNaN(value)) return undefined;
  return threshold.op === 'gt' ? !(value > threshold.value) : !(value < threshold.value);
}

const ceilToTick = (ms: number, intervalMs: number) => Math.ceil(ms / intervalMs) * intervalMs;

/**
 * What a card shows: the source's state with its clock. Pending counts down to the evaluation that
 * fires it (its start plus the pending period, on the group's tick); Firing counts up, and reads
 * Recovering once the cause is gone (the value is back on the healthy side, or a reset or the
 * scenario's end came after it fired) until the source says Normal.
 */
export function cardPhase(input: PhaseInput): CardPhase {
  const intervalMs = input.intervalSeconds * 1000;
  const since = input.activeSinceMs;
  switch (input.state) {
    case 'Pending':
      return {
        state: 'Pending',
        clock:
          since === undefined
            ? null
            : { kind: 'fires-in', atMs: ceilToTick(since + input.pendingSeconds * 1000, intervalMs) },
      };
    case 'Recovering':
      return {
        state: 'Recovering',
        clock: since === undefined ? null : { kind: 'recovering-for', atMs: since },
      };
    case 'Firing':
      return firingPhase(input, intervalMs);
    case 'Normal': {
      const expected = input.expectedFireAtMs;
      // Past its expected time a Normal card just says Normal: the clock would only count up a miss.
      return expected !== undefined && expected > input.nowMs
        ? { state: 'Normal', clock: { kind: 'expected-in', atMs: expected } }
        : { state: 'Normal', clock: null };
    }
    case 'NoData':
    case 'Error':
      return { state: input.state, clock: since === undefined ? null : { kind: 'since', atMs: since } };
    default:
      return { state: 'Unknown', clock: null };
  }
}

function firingPhase(input: PhaseInput, intervalMs: number): CardPhase {
  const since = input.activeSinceMs;
  const firing: CardPhase = {
    state: 'Firing',
    clock: since === undefined ? null : { kind: 'firing-for', atMs: since },
  };
  const { latest } = input;
  if (latest && (since === undefined || latest.atMs >= since) && healthy(latest.value, input.threshold)) {
    // The evaluation after the healthy value resolves it (the source may lag one poll behind).
    return {
      state: 'Recovering',
      clock: { kind: 'resolves-in', atMs: Math.max(input.nowMs, latest.atMs + intervalMs) },
      reason: 'value back on the healthy side of the threshold',
    };
  }
  if (input.clearedAtMs !== undefined && (since === undefined || input.clearedAtMs >= since)) {
    return {
      state: 'Recovering',
      clock: { kind: 'resolves-in', atMs: input.clearedAtMs + input.resolveSeconds * 1000 },
      reason: 'cause cleared; the signal is draining',
    };
  }
  return firing;
}
