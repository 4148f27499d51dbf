// One evaluation of one rule at a tick: its queries, its reduce and threshold expressions, and
// the per-instance results Grafana derives from the condition (pkg/services/ngalert/eval/eval.go,
// evaluateExecutionResult).
import type { PreviewDataSources } from './data-source.ts';
import {
  hysteresis,
  isReducer,
  reduce,
  threshold,
  thresholdProblem,
  type ThresholdEvaluator,
} from './expressions.ts';
import type { PreviewRule } from './rule-document.ts';
import { labelsKey, type ExpressionValue, type Labels } from './values.ts';

export const expressionDatasourceUid = '__expr__';

export type ResultState = 'Normal' | 'Alerting' | 'NoData' | 'Error';

export interface EvalResult {
  state: ResultState;
  /** The series' labels as the query returned them (before rule labels). */
  labels: Labels;
  /** What the threshold compared (the reduce's number); undefined for NoData and Error. */
  value?: number | null;
  error?: string;
}

export type RuleEvaluation =
  { evaluated: true; results: EvalResult[] } | { evaluated: false; reason: string };

type Step =
  | { refId: string; kind: 'query'; datasourceUid: string; model: Record<string, unknown> }
  | { refId: string; kind: 'reduce'; input: string; reducer: Parameters<typeof reduce>[1] }
  | {
      refId: string;
      kind: 'threshold';
      input: string;
      evaluator: ThresholdEvaluator;
      /** The recovery threshold (hysteresis): a loaded series fires until this holds. */
      unloadEvaluator?: ThresholdEvaluator;
    };

/** The rule's queries as steps the preview can run, or why it cannot run them. */
export function planRule(rule: PreviewRule, sources: PreviewDataSources): Step[] | string {
  if (rule.unsupported) return rule.unsupported;
  const steps: Step[] = [];
  const known = new Set<string>();
  for (const { refId, datasourceUid, model } of rule.data) {
    if (datasourceUid !== expressionDatasourceUid) {
      if (!sources[datasourceUid])
        return `its query ${refId} needs the "${datasourceUid}" data source, which is not configured here`;
      steps.push({ refId, kind: 'query', datasourceUid, model });
    } else {
      const input = String(model.expression ?? '');
      if (!known.has(input))
        return `expression ${refId} refers to ${input || 'nothing'}, not an earlier query`;
      if (model.type === 'reduce') {
        if (!isReducer(model.reducer)) return `expression ${refId} uses the reducer ${String(model.reducer)}`;
        const mode = (model.settings as { mode?: unknown } | undefined)?.mode;
        if (mode) return `expression ${refId} uses the reduce mode ${String(mode)}`;
        steps.push({ refId, kind: 'reduce', input, reducer: model.reducer });
      } else if (model.type === 'threshold') {
        // UnmarshalThresholdCommand: exactly one condition, with an optional recovery threshold.
        const conditions = model.conditions as {
          evaluator?: ThresholdEvaluator;
          unloadEvaluator?: ThresholdEvaluator;
        }[];
        if (!Array.isArray(conditions) || conditions.length !== 1)
          return `threshold ${refId} needs exactly one condition`;
        const [{ evaluator, unloadEvaluator }] = conditions as [(typeof conditions)[0]];
        const problem = thresholdProblem(evaluator ?? {});
        if (problem || !evaluator) return `threshold ${refId}: ${problem}`;
        const unloadProblem = unloadEvaluator && thresholdProblem(unloadEvaluator);
        if (unloadProblem) return `threshold ${refId}'s recovery threshold: ${unloadProblem}`;
        // eval.go getExprRequest: a recovery threshold is only allowed on the alert condition.
        if (unloadEvaluator && refId !== rule.condition)
          return `threshold ${refId} has a recovery threshold but is not the condition`;
        steps.push({
          refId,
          kind: 'threshold',
          input,
          evaluator,
          ...(unloadEvaluator ? { unloadEvaluator } : {}),
        });
      } else return `expression ${refId} is of type ${String(model.type)}, which the preview does not model`;
    }
    known.add(refId);
  }
  if (!known.has(rule.condition)) return `its condition ${rule.condition} is not one of its queries`;
  return steps;
}

async function runSteps(
  steps: Step[],
  sources: PreviewDataSources,
  atMs: number,
  loaded: ReadonlySet<string>,
): Promise<Map<string, ExpressionValue>> {
  const values = new Map<string, ExpressionValue>();
  for (const step of steps) {
    if (step.kind === 'query') {
      try {
        values.set(step.refId, await sources[step.datasourceUid]!.query(step.model, atMs));
      } catch (error) {
        // What Grafana shows as the rule's error: the failing query and why.
        throw new Error(`[${step.refId}] ${(error as Error).message}`);
      }
    } else if (step.kind === 'reduce') values.set(step.refId, reduce(values.get(step.input)!, step.reducer));
    else if (step.unloadEvaluator && loaded.size > 0)
      values.set(
        step.refId,
        hysteresis(values.get(step.input)!, step.evaluator, step.unloadEvaluator, loaded),
      );
    else values.set(step.refId, threshold(values.get(step.input)!, step.evaluator));
  }
  return values;
}

/**
 * evaluateExecutionResult: a failed query is one Error result; no values is one NoData result;
 * otherwise one result per number: null is NoData, 0 Normal, anything else (NaN too) Alerting.
 * Two results with the same labels replace everything with one Error.
 */
function toResults(condition: ExpressionValue, compared: ExpressionValue | undefined): EvalResult[] {
  if (condition.kind === 'noData') return [{ state: 'NoData', labels: {} }];
  if (condition.kind === 'series') {
    return [
      {
        state: 'Error',
        labels: {},
        error: 'looks like time series data, only reduced data can be alerted on.',
      },
    ];
  }
  if (condition.numbers.length === 0) return [{ state: 'NoData', labels: {} }];
  const comparedByKey = new Map(
    compared?.kind === 'numbers' ? compared.numbers.map((n) => [labelsKey(n.labels), n.value]) : [],
  );
  const results = condition.numbers.map(({ labels, value }): EvalResult => {
    const state = value === null ? 'NoData' : value === 0 ? 'Normal' : 'Alerting';
    return { state, labels, value: comparedByKey.get(labelsKey(labels)) ?? value };
  });
  const seen = new Set<string>();
  for (const result of results) {
    const key = labelsKey(result.labels);
    if (seen.has(key)) {
      const error = `invalid format of evaluation results for the alert definition : frame cannot uniquely be identified by its labels: has duplicate results with labels ${key}`;
      return [{ state: 'Error', labels: result.labels, error }];
    }
    seen.add(key);
  }
  return results;
}

/**
 * Evaluates the rule at the tick `atMs`, or says why it cannot be evaluated here. `loaded` holds the
 * result-label keys of the series that are firing or pending (the recovery threshold applies to them).
 */
export async function evaluateRule(
  rule: PreviewRule,
  sources: PreviewDataSources,
  atMs: number,
  loaded: ReadonlySet<string> = new Set(),
): Promise<RuleEvaluation> {
  const steps = planRule(rule, sources);
  if (typeof steps === 'string') return { evaluated: false, reason: steps };
  let values: Map<string, ExpressionValue>;
  try {
    values = await runSteps(steps, sources, atMs, loaded);
  } catch (error) {
    return { evaluated: true, results: [{ state: 'Error', labels: {}, error: (error as Error).message }] };
  }
  const conditionStep = steps.find((s) => s.refId === rule.condition)!;
  const compared = conditionStep.kind === 'threshold' ? values.get(conditionStep.input) : undefined;
  return { evaluated: true, results: toResults(values.get(rule.condition)!, compared) };
}
