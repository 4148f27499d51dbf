// When Grafana evaluates a rule group (pkg/services/ngalert/schedule): its ticker fires on
// wall-clock multiples of the base interval, and a group runs on the ticks where the tick number
// is a multiple of interval / base — with disable_jitter, that is every wall-clock multiple of the
// group's interval since the epoch. A tick that comes while the previous evaluation still runs is
// dropped, so the next tick is always the first multiple after now.

/** The first tick strictly after `nowMs` for a group evaluated every `intervalMs`. */
export function nextTickMs(nowMs: number, intervalMs: number): number {
  return Math.floor(nowMs / intervalMs) * intervalMs + intervalMs;
}

/** Time and timers, injectable so that tests drive ticks without waiting. */
export interface PreviewClock {
  now(): number;
  /** Runs `fn` at `atMs` (or as soon as possible after it); the returned function cancels it. */
  at(atMs: number, fn: () => void): () => void;
}

export const systemClock: PreviewClock = {
  now: () => Date.now(),
  at: (atMs, fn) => {
    const timer = setTimeout(fn, Math.max(0, atMs - Date.now()));
    return () => clearTimeout(timer);
  },
};
