import { evaluateRule, type DataSources, type ProvisionedRule } from './rule-evaluator.ts';

export interface FiringObservation {
  uid: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the watch started. */
  atMs: number;
}

export interface WatchResult {
  /** Milliseconds from the start until each rule's condition was first true; absent: never true. */
  firstTrueMs: Record<string, number>;
  /** Every true condition seen, one entry per rule and instance (the first time it was seen). */
  observations: FiringObservation[];
  /** What was true at the latest evaluation. */
  latest: FiringObservation[];
  /** Rules that could not be evaluated here, with why (Loki without a real Loki). */
  notEvaluated: Record<string, string>;
}

export interface WatchOptions {
  rules: ProvisionedRule[];
  sources: DataSources;
  /** Stop early once this holds. */
  done?: (result: WatchResult) => boolean;
  deadlineMs: number;
  intervalMs?: number;
}

/** Evaluates every rule once a second, as Grafana's 10 s group would but finer, until done or the deadline. */
export async function watchRules(options: WatchOptions): Promise<WatchResult> {
  const started = Date.now();
  const result: WatchResult = { firstTrueMs: {}, observations: [], latest: [], notEvaluated: {} };
  const seen = new Set<string>();
  for (;;) {
    const atMs = Date.now() - started;
    const verdicts = await Promise.all(options.rules.map((rule) => evaluateRule(rule, options.sources)));
    result.latest = [];
    for (const verdict of verdicts) {
      if (!verdict.evaluated) {
        result.notEvaluated[verdict.uid] = verdict.reason;
        continue;
      }
      for (const instance of verdict.firing) {
        result.latest.push({ uid: verdict.uid, ...instance, atMs });
        result.firstTrueMs[verdict.uid] ??= atMs;
        const key = `${verdict.uid} ${JSON.stringify(instance.labels)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        result.observations.push({ uid: verdict.uid, ...instance, atMs });
      }
    }
    if (options.done?.(result) || Date.now() - started >= options.deadlineMs) return result;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
  }
}
