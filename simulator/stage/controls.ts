import type { AlertDefinition } from '../../domain/alerts.ts';
import type { PhasedScenarioName } from '../../domain/scenarios.ts';
import { normalFirst } from '../alerts/normal-first.ts';
import type { AlertStateSource } from '../alerts/state-source.ts';
import { waitUntilNormalReported } from '../alerts/wait-for-normal.ts';
import type { ShopClient } from '../clients/shop-client.ts';
import type { Targets } from '../clients/targets.ts';
import { resetLines } from '../display/format.ts';
import type { Reporter } from '../display/reporter.ts';
import { resetEverything } from '../run/reset.ts';
import type { RunEvent } from '../run/events.ts';
import { refireFirst } from '../run/refire.ts';
import { runScenario } from '../run/run-scenario.ts';
import { scenarioForAlert } from '../scenarios/registry.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { runBooth } from './booth.ts';
import { StageRefusal } from './refusal.ts';
import type { StageSilences } from './silences.ts';
import type { ActivityView } from './snapshot.ts';
import type { StageState } from './stage-state.ts';

/** How long trigger waits for its alert (and, before, for it to be Normal); reset for every rule. */
export const triggerTimeoutSeconds = 300;
export const resetWaitSeconds = 120;

export interface ControlDeps {
  state: StageState;
  targets: Targets;
  shop: ShopClient;
  /** Grafana or the rule preview; null when neither can say. */
  source: AlertStateSource | null;
  /** Why there is no source. */
  unavailable?: string;
  silences: StageSilences;
}

interface Running {
  title: string;
  controller: AbortController;
  done: Promise<void>;
  startedAtMs: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The stage's controls: one activity at a time (a scenario, a trigger, a reset and its wait, or the
 * booth), each through the code the CLI commands use — runScenario, normalFirst, resetEverything,
 * waitUntilNormal, rehearse. Starting anything while one runs is refused; stop aborts it, and its
 * faults are undone as on Ctrl-C.
 */
export class StageControls {
  private running: Running | null = null;

  constructor(private readonly deps: ControlDeps) {}

  /** What a reset clears, for the page to show before the click. */
  static readonly resetClears = [
    'every fault on api, frontend, payment and inventory',
    'stock back to seed levels',
    'the failed-login streak',
    "the status page's incidents",
    'the silences the simulator set',
    'then waits until every alert is Normal',
  ];

  run(scenario: Scenario): void {
    this.launch('run', scenario.name, async (signal) => {
      const result = await runScenario({
        ...this.runBasics(signal),
        scenario,
        untilFiring: false,
        timeoutSeconds: triggerTimeoutSeconds,
      });
      this.reportFaultsLeft(result.parts.flatMap((part) => part.faultsLeft));
    });
  }

  trigger(alert: AlertDefinition): void {
    const source = this.requireSource('trigger');
    const scenario = scenarioForAlert(alert);
    if (!scenario) throw new StageRefusal(400, 'unknown_alert', `no scenario fires ${alert.uid}`);
    this.launch('trigger', `trigger ${alert.uid}`, async (signal) => {
      const onEvent = (event: RunEvent) => this.deps.state.onRunEvent(event);
      const blocked = await normalFirst({
        source,
        uids: [alert.uid],
        wait: true,
        timeoutSeconds: triggerTimeoutSeconds,
        reporter: this.reporter(),
        signal,
        // As `trigger` does: an alert still active from an earlier run has its signal cleared first.
        clearFirst: refireFirst({ shop: this.deps.shop, alert, scenario, alertSource: source.kind, onEvent }),
      });
      if (blocked !== undefined) return;
      const result = await runScenario({
        ...this.runBasics(signal),
        scenario,
        untilFiring: true,
        awaitedAlerts: [alert.uid],
        timeoutSeconds: triggerTimeoutSeconds,
      });
      this.reportFaultsLeft(result.parts.flatMap((part) => part.faultsLeft));
      if (!result.interrupted && result.notFired.length > 0)
        this.deps.state.note(`${alert.uid} not firing after ${triggerTimeoutSeconds} s`);
    });
  }

  reset(): void {
    this.launch('reset', 'reset', async (signal) => {
      await this.resetAll();
      if (!this.deps.source) return;
      const result = await waitUntilNormalReported({
        source: this.deps.source,
        timeoutSeconds: resetWaitSeconds,
        reason: 'after reset',
        signal,
        onEvent: (event) => this.deps.state.onRunEvent(event),
      });
      if (!result.normal && !result.interrupted)
        this.deps.state.note(
          `still not Normal after ${resetWaitSeconds} s: ${result.active.map((r) => `${r.uid} ${r.state}`).join(', ')}`,
        );
    });
  }

  booth(scenarios: PhasedScenarioName[], seed: number | null): void {
    const source = this.requireSource('booth mode');
    this.launch('booth', `booth: ${scenarios.join(', ')}`, async (signal) => {
      try {
        await runBooth({ ...this.deps, source, scenarios, seed, signal });
      } finally {
        await this.undoBooth();
      }
    });
  }

  /** Stops what runs and waits until its faults (and a booth's silences) are undone. */
  async stop(): Promise<string> {
    const running = this.running;
    if (!running) throw new StageRefusal(409, 'idle', 'nothing is running');
    this.deps.state.updateActivity({ stopping: true, status: 'stopping: undoing its faults…' });
    running.controller.abort();
    await running.done;
    return running.title;
  }

  async silence(alert: AlertDefinition, minutes: number): Promise<string> {
    const id = await this.deps.silences.silence(alert, minutes).catch(this.unavailable);
    this.deps.state.note(`${alert.title} silenced for ${minutes} min`);
    return id;
  }

  async unsilence(alert: AlertDefinition): Promise<string[]> {
    const ids = await this.deps.silences.unsilence(alert).catch(this.unavailable);
    if (ids.length === 0)
      throw new StageRefusal(409, 'not_silenced', `${alert.uid} has no silence the simulator set`);
    this.deps.state.note(`${alert.title} unsilenced`);
    return ids;
  }

  /** Stops whatever runs (on shutdown). */
  async close(): Promise<void> {
    if (this.running) await this.stop();
  }

  private unavailable = (error: unknown): never => {
    if (error instanceof StageRefusal) throw error;
    throw new StageRefusal(503, 'alertmanager_unavailable', message(error));
  };

  private requireSource(what: string): AlertStateSource {
    if (!this.deps.source)
      throw new StageRefusal(
        409,
        'no_alert_states',
        `${what} needs alert states: ${this.deps.unavailable ?? 'none available'}`,
      );
    return this.deps.source;
  }

  private launch(
    kind: ActivityView['kind'],
    title: string,
    work: (signal: AbortSignal) => Promise<void>,
  ): void {
    if (this.running) {
      const since = Math.round((Date.now() - (this.deps.state.activity?.startedAtMs ?? Date.now())) / 1000);
      throw new StageRefusal(409, 'busy', `${this.running.title} is running (for ${since} s): stop it first`);
    }
    if (!this.deps.targets.adminToken)
      throw new StageRefusal(
        503,
        'no_admin_token',
        'the stage has no admin token for the services: start it with ADMIN_TOKEN set',
      );
    const controller = new AbortController();
    const { state } = this.deps;
    const startedAtMs = Date.now();
    state.setActivity({
      kind,
      title,
      startedAtMs,
      status: 'starting',
      expected: [],
      partStartedAtMs: null,
      stopping: false,
    });
    const done = work(controller.signal)
      .catch((error: unknown) => state.note(`${title} failed: ${message(error)}`))
      .finally(() => {
        this.running = null;
        state.setActivity(null);
      });
    this.running = { title, controller, done, startedAtMs };
  }

  private runBasics(signal: AbortSignal) {
    return {
      targets: this.deps.targets,
      shop: this.deps.shop,
      alerts: this.deps.source,
      rateMultiplier: 1,
      poisson: false,
      signal,
      onEvent: (event: Parameters<StageState['onRunEvent']>[0]) => this.deps.state.onRunEvent(event),
    };
  }

  /** What normalFirst tells a terminal, told to the page instead. */
  private reporter(): Reporter {
    return {
      onEvent: (event) => this.deps.state.onRunEvent(event),
      note: (text) => this.deps.state.note(text),
      close: () => {},
    };
  }

  private reportFaultsLeft(left: { service: string; reason: string }[]): void {
    for (const fault of left)
      this.deps.state.note(`fault NOT undone on ${fault.service}: ${fault.reason} (reset)`);
  }

  /** resetEverything as `shopfast-sim reset` does (the status page too), and the simulator's silences expired. */
  private async resetAll(): Promise<void> {
    const { state } = this.deps;
    const outcome = await resetEverything(this.deps.shop, { clearIncidents: true });
    const silences = await this.deps.silences.expireAll().catch(() => 0);
    state.clearedAll();
    state.note(
      `reset: ${[...resetLines(outcome), `✓ ${silences} silences expired`].map((line) => line.replace(/^[✓·] /, '')).join('; ')}`,
    );
  }

  /** A stopped booth leaves nothing behind: every fault off, the silences made while it ran lifted. */
  private async undoBooth(): Promise<void> {
    const outcome = await resetEverything(this.deps.shop, { clearIncidents: false });
    const lifted = await this.deps.silences
      .expireSince(this.running?.startedAtMs ?? Date.now())
      .catch(() => 0);
    this.deps.state.clearedAll();
    this.deps.state.note(
      `booth stopped: faults cleared on ${outcome.faultsCleared.join(', ')}, ${lifted} silences lifted`,
    );
  }
}
