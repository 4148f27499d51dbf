// The alert instances of one rule over time, as Grafana's state manager keeps them
// (pkg/services/ngalert/state: manager.go setNextStateForRule / processMissingSeriesStates,
// state.go resultNormal / resultAlerting / resultError / resultNoData / resultKeepLast, and
// schedule/loaded_metrics_reader.go for the series a recovery threshold treats as loaded).
import type { EvalResult, ResultState } from './evaluate-rule.ts';
import { expandTemplate } from './label-template.ts';
import type { PreviewRule } from './rule-document.ts';
import { labelsKey, type Labels } from './values.ts';

export type InstanceState = 'Normal' | 'Pending' | 'Alerting' | 'Recovering' | 'NoData' | 'Error';

export interface AlertInstance {
  /** Query labels plus the rule's expanded labels (rule labels win). */
  labels: Labels;
  /** The key of the query's labels alone (Grafana's ResultFingerprint). */
  resultKey: string;
  state: InstanceState;
  /** Why the state differs from the result, in Grafana's words: NoData, Error, MissingSeries… */
  reason: string;
  /** When the current state began (Grafana's StartsAt; the rules API's activeAt). */
  sinceMs: number;
  lastEvaluatedMs: number;
  /** What the threshold compared at the latest evaluation. */
  value: number | null | undefined;
  error?: string;
}

export interface StateChange {
  /** The instance's labels (query labels plus the rule's). */
  labels: Labels;
  from: InstanceState;
  to: InstanceState;
  /** The tick (epoch ms). */
  atMs: number;
  /** What the threshold compared; undefined for NoData, Error and missing series. */
  value: number | null | undefined;
  /** Grafana's state reason (NoData, Error, MissingSeries, …), or "". */
  reason: string;
}

/**
 * cache.go expandAnnotationsAndLabels: rule label templates see the query's labels; then rule
 * labels win over query labels of the same name. (Grafana's reserved labels — alertname,
 * grafana_folder, __alert_rule_uid__ — are not added.)
 */
export function instanceLabels(rule: PreviewRule, resultLabels: Labels): Labels {
  const labels: Labels = {};
  for (const [name, template] of Object.entries(rule.labels))
    labels[name] = expandTemplate(template, resultLabels);
  for (const [name, value] of Object.entries(resultLabels)) if (!(name in labels)) labels[name] = value;
  return labels;
}

export class RuleInstances {
  private readonly byKey = new Map<string, AlertInstance>();

  constructor(
    private readonly rule: PreviewRule,
    private readonly intervalSeconds: number,
  ) {}

  instances(): AlertInstance[] {
    return [...this.byKey.values()];
  }

  /** Applies one evaluation's results at the tick `atMs`; returns the instances whose state changed. */
  apply(results: EvalResult[], atMs: number): StateChange[] {
    const changes: StateChange[] = [];
    const record = (instance: AlertInstance, from: InstanceState) => {
      if (instance.state !== from)
        changes.push({
          labels: instance.labels,
          from,
          to: instance.state,
          atMs,
          value: instance.value,
          reason: instance.reason,
        });
    };
    const existing = this.instances();
    // setNextStateForRule: an all-NoData (or Error) result mapped to OK, Alerting or KeepLast
    // applies to every existing instance; only with no instances yet does it create one.
    const allAre = (state: ResultState) => results.length > 0 && results.every((r) => r.state === state);
    const appliesToAll =
      (allAre('NoData') && this.rule.noDataState !== 'NoData') ||
      (allAre('Error') && this.rule.execErrState !== 'Error');
    if (appliesToAll && existing.length > 0) {
      for (const instance of existing) record(instance, this.transition(instance, results[0]!, atMs));
      return changes;
    }
    for (const result of results) {
      const labels = instanceLabels(this.rule, result.labels);
      const key = labelsKey(labels);
      const instance = this.byKey.get(key) ?? this.newInstance(labels, labelsKey(result.labels), atMs);
      this.byKey.set(key, instance);
      record(instance, this.transition(instance, result, atMs));
    }
    changes.push(...this.resolveMissing(atMs));
    return changes;
  }

  /**
   * AlertingResultsFromRuleState: the series a recovery threshold holds to its unload predicate are
   * those of Alerting or Pending instances without a state reason (not Recovering, NoData or KeepLast).
   */
  loadedResultKeys(): Set<string> {
    return new Set(
      this.instances()
        .filter((i) => (i.state === 'Alerting' || i.state === 'Pending') && i.reason === '')
        .map((i) => i.resultKey),
    );
  }

  private newInstance(labels: Labels, resultKey: string, atMs: number): AlertInstance {
    return {
      labels,
      resultKey,
      state: 'Normal',
      reason: '',
      sinceMs: atMs,
      lastEvaluatedMs: atMs,
      value: undefined,
    };
  }

  /** setNextState for one instance; returns the state it had before. */
  private transition(instance: AlertInstance, result: EvalResult, atMs: number): InstanceState {
    const from = instance.state;
    instance.lastEvaluatedMs = atMs;
    instance.value = result.value;
    instance.error = result.error;
    const { noDataState, execErrState } = this.rule;
    if (result.state === 'Normal') this.normal(instance, atMs);
    else if (result.state === 'Alerting') this.alerting(instance, atMs);
    else if (result.state === 'NoData') {
      if (noDataState === 'Alerting') this.alerting(instance, atMs);
      else if (noDataState === 'OK') this.normal(instance, atMs);
      else if (noDataState === 'KeepLast') this.keepLast(instance, atMs);
      else this.enter(instance, 'NoData', atMs);
    } else {
      if (execErrState === 'Alerting') this.alerting(instance, atMs);
      else if (execErrState === 'OK') this.normal(instance, atMs);
      else if (execErrState === 'KeepLast') this.keepLast(instance, atMs);
      else this.enter(instance, 'Error', atMs);
    }
    // The reason is set iff the state differs from the result and the result is neither Normal
    // nor Alerting; with a KeepLast mapping it says so.
    const keepLast = noDataState === 'KeepLast' || execErrState === 'KeepLast';
    instance.reason =
      instance.state !== result.state && result.state !== 'Normal' && result.state !== 'Alerting'
        ? keepLast
          ? `${result.state}, KeepLast`
          : result.state
        : '';
    return from;
  }

  private enter(instance: AlertInstance, state: InstanceState, atMs: number): void {
    if (instance.state === state) return; // Maintain: the state and its start stay
    instance.state = state;
    instance.sinceMs = atMs;
  }

  /**
   * resultNormal: with keepFiringFor, Alerting turns Recovering and stays so until keepFiringFor has
   * passed since it began; every other state returns to Normal.
   */
  private normal(instance: AlertInstance, atMs: number): void {
    const keepFiringForMs = this.rule.keepFiringForSeconds * 1000;
    if (instance.state === 'Alerting' && keepFiringForMs > 0) this.enter(instance, 'Recovering', atMs);
    else if (instance.state === 'Recovering' && atMs - instance.sinceMs < keepFiringForMs) return;
    else this.enter(instance, 'Normal', atMs);
  }

  /**
   * resultAlerting: Pending becomes Alerting once `for` has passed since it began; Recovering fires
   * again at once, skipping Pending; others start Pending.
   */
  private alerting(instance: AlertInstance, atMs: number): void {
    if (instance.state === 'Alerting') return;
    if (instance.state === 'Recovering') return this.enter(instance, 'Alerting', atMs);
    if (instance.state === 'Pending') {
      if (atMs - instance.sinceMs >= this.rule.forSeconds * 1000) this.enter(instance, 'Alerting', atMs);
      return;
    }
    this.enter(instance, this.rule.forSeconds > 0 ? 'Pending' : 'Alerting', atMs);
  }

  /** resultKeepLast: Alerting and Normal stay; Pending stays, or fires once `for` has passed. */
  private keepLast(instance: AlertInstance, atMs: number): void {
    if (instance.state === 'Alerting' || instance.state === 'Pending' || instance.state === 'Recovering')
      this.alerting(instance, atMs);
    else this.normal(instance, atMs);
  }

  /**
   * processMissingSeriesStates: an instance its series no longer returns keeps its state until it
   * has been missing for missing_series_evals_to_resolve intervals (1 for Error and NoData), then
   * resolves to Normal (MissingSeries) and is forgotten.
   */
  private resolveMissing(atMs: number): StateChange[] {
    const changes: StateChange[] = [];
    for (const [key, instance] of this.byKey) {
      if (instance.lastEvaluatedMs === atMs) continue;
      const evals =
        instance.state === 'Error' || instance.state === 'NoData' ? 1 : this.rule.missingSeriesEvalsToResolve;
      if (atMs - instance.lastEvaluatedMs < evals * this.intervalSeconds * 1000) continue;
      this.byKey.delete(key);
      if (instance.state !== 'Normal') {
        changes.push({
          labels: instance.labels,
          from: instance.state,
          to: 'Normal',
          atMs,
          value: undefined,
          reason: 'MissingSeries',
        });
      }
    }
    return changes;
  }
}
