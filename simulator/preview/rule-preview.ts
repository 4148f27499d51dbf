import type { AlertStateSource } from '../alerts/state-source.ts';
import type { AlertState, RuleStatus } from '../alerts/state-source.ts';
import type { PreviewDataSources } from './data-source.ts';
import { evaluateRule, type EvalResult } from './evaluate-rule.ts';
import { RuleInstances, type AlertInstance, type StateChange } from './instance-states.ts';
import type { PreviewRule, PreviewRuleGroup } from './rule-document.ts';
import { nextTickMs, systemClock, type PreviewClock } from './tick-schedule.ts';

/** An alert instance of the rule `uid` changing state at a tick. */
export interface RuleTransition extends StateChange {
  uid: string;
}

/** One rule evaluated at one tick. */
export interface RuleEvaluationEvent {
  uid: string;
  atMs: number;
  /** The rule's state after this evaluation. */
  state: AlertState;
  /** The evaluation's results; absent when the rule could not be evaluated here. */
  results?: EvalResult[];
  notEvaluated?: string;
}

export interface RulePreviewOptions {
  groups: PreviewRuleGroup[];
  sources: PreviewDataSources;
  /** Default: the system clock and setTimeout. */
  clock?: PreviewClock;
}

// The transition log keeps this many of the latest entries (a preview may run for hours).
const maxTransitions = 10_000;

interface RuleEntry {
  rule: PreviewRule;
  instances: RuleInstances;
  notEvaluated?: string;
}

/**
 * Evaluates the provisioned rules as Grafana would, where Grafana does not run: on each group's
 * aligned ticks, with each instance's state kept across ticks (Normal → Pending → Alerting →
 * Normal, NoData and Error mapped by the rule). Its states are a preview computed from the rule
 * document, never Grafana's own.
 *
 * @example
 * const sources = connectDataSources({ prometheusUrl, lokiUrl, databaseUrl });
 * const preview = new RulePreview({ groups: provisionedRuleGroups(), sources: sources.sources });
 * preview.onTransition((t) => console.log(t.uid, t.from, '→', t.to, new Date(t.atMs)));
 * preview.start();
 * // … later: (await preview.ruleStatuses()).get('payment-failures')?.state === 'Firing'
 * await preview.stop();
 * await sources.close();
 */
export class RulePreview implements AlertStateSource {
  readonly kind = 'preview';
  private readonly clock: PreviewClock;
  private readonly entries = new Map<string, RuleEntry>();
  private readonly log: RuleTransition[] = [];
  private readonly transitionListeners = new Set<(t: RuleTransition) => void>();
  private readonly evaluationListeners = new Set<(e: RuleEvaluationEvent) => void>();
  private readonly timers = new Map<string, () => void>();
  private readonly running = new Set<Promise<void>>();
  private started = false;
  private latestTickMs: number | null = null;

  constructor(private readonly options: RulePreviewOptions) {
    this.clock = options.clock ?? systemClock;
    for (const group of options.groups) {
      for (const rule of group.rules) {
        this.entries.set(rule.uid, { rule, instances: new RuleInstances(rule, group.intervalSeconds) });
      }
    }
  }

  /** Evaluates every group on its ticks from the next one on, until stop(). */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const group of this.options.groups) this.scheduleNextTick(group);
  }

  /** Cancels the coming ticks and waits for an evaluation in progress. */
  async stop(): Promise<void> {
    this.started = false;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    await Promise.all(this.running);
  }

  /** Evaluates every rule of every group at `atMs`, as a tick would (tests call this directly). */
  async evaluateAt(atMs: number): Promise<void> {
    await Promise.all(this.options.groups.map((group) => this.evaluateGroup(group, atMs)));
  }

  /** The tick evaluated last (epoch ms), or null before the first one. */
  get lastTickMs(): number | null {
    return this.latestTickMs;
  }

  rules(): PreviewRule[] {
    return [...this.entries.values()].map((e) => e.rule);
  }

  /** The rule's alert instances as of the latest tick (Normal ones included). */
  instances(uid: string): AlertInstance[] {
    return this.entries.get(uid)?.instances.instances() ?? [];
  }

  /** Every state change so far, oldest first (the latest 10 000). */
  transitions(): readonly RuleTransition[] {
    return this.log;
  }

  /** Rules that cannot be evaluated here, with the reason (a data source not configured, …). */
  notEvaluated(): Map<string, string> {
    const reasons = new Map<string, string>();
    for (const [uid, entry] of this.entries) if (entry.notEvaluated) reasons.set(uid, entry.notEvaluated);
    return reasons;
  }

  /** Calls `listener` for each state change; returns a function that unsubscribes. */
  onTransition(listener: (t: RuleTransition) => void): () => void {
    this.transitionListeners.add(listener);
    return () => this.transitionListeners.delete(listener);
  }

  /** Calls `listener` after each rule's evaluation; returns a function that unsubscribes. */
  onEvaluation(listener: (e: RuleEvaluationEvent) => void): () => void {
    this.evaluationListeners.add(listener);
    return () => this.evaluationListeners.delete(listener);
  }

  ruleStatus(uid: string): RuleStatus | undefined {
    const entry = this.entries.get(uid);
    return entry && toRuleStatus(entry);
  }

  ruleStatuses(): Promise<Map<string, RuleStatus>> {
    return Promise.resolve(new Map([...this.entries.values()].map((e) => [e.rule.uid, toRuleStatus(e)])));
  }

  private scheduleNextTick(group: PreviewRuleGroup): void {
    const tickMs = nextTickMs(this.clock.now(), group.intervalSeconds * 1000);
    this.timers.set(
      group.name,
      this.clock.at(tickMs, () => {
        const run = this.evaluateGroup(group, tickMs).finally(() => {
          this.running.delete(run);
          if (this.started) this.scheduleNextTick(group);
        });
        this.running.add(run);
      }),
    );
  }

  private async evaluateGroup(group: PreviewRuleGroup, atMs: number): Promise<void> {
    const evaluations = await Promise.all(
      group.rules.map(async (rule) => ({
        rule,
        evaluation: await evaluateRule(
          rule,
          this.options.sources,
          atMs,
          this.entries.get(rule.uid)!.instances.loadedResultKeys(),
        ),
      })),
    );
    this.latestTickMs = Math.max(this.latestTickMs ?? atMs, atMs);
    for (const { rule, evaluation } of evaluations) {
      const entry = this.entries.get(rule.uid)!;
      if (!evaluation.evaluated) {
        entry.notEvaluated = evaluation.reason;
        this.emit(this.evaluationListeners, {
          uid: rule.uid,
          atMs,
          state: 'Normal',
          notEvaluated: evaluation.reason,
        });
        continue;
      }
      delete entry.notEvaluated;
      for (const change of entry.instances.apply(evaluation.results, atMs)) {
        const transition = { uid: rule.uid, ...change };
        this.log.push(transition);
        if (this.log.length > maxTransitions) this.log.shift();
        this.emit(this.transitionListeners, transition);
      }
      this.emit(this.evaluationListeners, {
        uid: rule.uid,
        atMs,
        state: toRuleStatus(entry).state,
        results: evaluation.results,
      });
    }
  }

  // A listener that throws must not stop the ticks.
  private emit<T>(listeners: Set<(value: T) => void>, value: T): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch (error) {
        console.error('rule preview listener failed:', error);
      }
    }
  }
}

const formatState = (instance: AlertInstance) =>
  instance.reason ? `${instance.state} (${instance.reason})` : instance.state;

/**
 * The rule as Grafana's rules API reports it (api_prometheus.go): firing when any instance is
 * Alerting, else pending when any is Pending, else recovering when any is Recovering, else inactive; health error or nodata from its
 * instances. activeSinceMs is the earliest start among Alerting and Pending instances (Grafana's
 * rule-level activeAt counts Alerting ones only; RuleStatus asks for Pending too).
 */
function toRuleStatus({ rule, instances, notEvaluated }: RuleEntry): RuleStatus {
  const all = instances.instances();
  const firing = all.filter((i) => i.state === 'Alerting');
  const pending = all.filter((i) => i.state === 'Pending');
  const recovering = all.filter((i) => i.state === 'Recovering');
  const active = [...firing, ...pending, ...recovering];
  const errored = all.find((i) => i.state === 'Error' || i.error);
  const health = notEvaluated
    ? 'unknown'
    : errored
      ? 'error'
      : all.some((i) => i.state === 'NoData')
        ? 'nodata'
        : 'ok';
  const lastError = notEvaluated ? `not evaluated: ${notEvaluated}` : errored?.error;
  return {
    uid: rule.uid,
    title: rule.title,
    state:
      firing.length > 0
        ? 'Firing'
        : pending.length > 0
          ? 'Pending'
          : recovering.length > 0
            ? 'Recovering'
            : 'Normal',
    health,
    firingInstances: firing.length,
    pendingInstances: pending.length,
    ...(lastError ? { lastError } : {}),
    pendingSeconds: rule.forSeconds,
    ...(active.length > 0 ? { activeSinceMs: Math.min(...active.map((i) => i.sinceMs)) } : {}),
    instances: all
      .filter((i) => i.state !== 'Normal')
      .map((i) => ({ labels: i.labels, state: formatState(i), activeSinceMs: i.sinceMs })),
  };
}
