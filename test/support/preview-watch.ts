import type { EvalResult } from '../../simulator/preview/evaluate-rule.ts';
import type { RulePreview } from '../../simulator/preview/rule-preview.ts';

export interface ConditionObservation {
  uid: string;
  /** The series' labels (before rule labels). */
  labels: EvalResult['labels'];
  value: number | null | undefined;
  /** Milliseconds from the start of the watch to the tick. */
  atMs: number;
}

export interface WatchResult {
  /** Milliseconds from the start until each rule's condition was first true at a tick; absent: never. */
  firstTrueMs: Record<string, number>;
  /** Every true condition seen, one entry per rule and series (the first tick it was seen). */
  observations: ConditionObservation[];
  /** What was true at the latest complete tick. */
  latest: ConditionObservation[];
  /** Rules the preview cannot evaluate here, with why. */
  notEvaluated: Record<string, string>;
}

export interface WatchOptions {
  /** A started preview. */
  preview: RulePreview;
  /** Checked after each complete tick; stops the watch early once it holds. */
  done?: (result: WatchResult) => boolean;
  deadlineMs: number;
}

/**
 * Records, tick by tick, which rules' conditions the preview found true (Grafana's 10 s ticks,
 * before pending periods), until done or the deadline.
 */
export function watchConditions({ preview, done, deadlineMs }: WatchOptions): Promise<WatchResult> {
  const started = Date.now();
  const result: WatchResult = { firstTrueMs: {}, observations: [], latest: [], notEvaluated: {} };
  const seen = new Set<string>();
  const ruleCount = preview.rules().length;
  let tick = { atMs: Number.NaN, evaluated: 0, trueNow: [] as ConditionObservation[] };
  return new Promise((resolve) => {
    const finish = () => {
      unsubscribe();
      clearTimeout(timer);
      resolve(result);
    };
    const unsubscribe = preview.onEvaluation((event) => {
      if (event.atMs !== tick.atMs) tick = { atMs: event.atMs, evaluated: 0, trueNow: [] };
      tick.evaluated += 1;
      if (event.notEvaluated) result.notEvaluated[event.uid] = event.notEvaluated;
      for (const r of event.results ?? []) {
        if (r.state !== 'Alerting') continue;
        const observation = { uid: event.uid, labels: r.labels, value: r.value, atMs: event.atMs - started };
        tick.trueNow.push(observation);
        result.firstTrueMs[event.uid] ??= observation.atMs;
        const key = `${event.uid} ${JSON.stringify(r.labels)}`;
        if (!seen.has(key)) {
          seen.add(key);
          result.observations.push(observation);
        }
      }
      if (tick.evaluated < ruleCount) return;
      result.latest = tick.trueNow;
      if (done?.(result)) finish();
    });
    const timer = setTimeout(finish, deadlineMs);
  });
}
