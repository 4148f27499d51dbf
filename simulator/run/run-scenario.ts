import type { AlertStateSource } from '../alerts/state-source.ts';
import { AlertWatch, type AlertProgress } from '../alerts/watch.ts';
import { instanceName } from '../alerts/instances.ts';
import { expectedArrivals } from '../engine/arrival-schedule.ts';
import { randomSeed } from '../engine/random.ts';
import { startTraffic, type TrafficReport, type TrafficSnapshot } from '../engine/traffic-engine.ts';
import { UsageError } from '../errors.ts';
import { FaultSwitch } from './fault-switch.ts';
import { fitToLength, scalePhases, trafficStages, untilStoppedSeconds } from './phase-plan.ts';
import { PurchaseRestocker } from './restocker.ts';
import { resetEverything } from './reset.ts';
import type { AlertSourceKind, LiveStatus, PartSummary, RunEvent } from './events.ts';
import type { ShopFront } from '../scenarios/journeys.ts';
import { expectedAlerts, expectedFiringSeconds, scenarioParts } from '../scenarios/registry.ts';
import {
  faultedServices,
  phasesSeconds,
  setsSilences,
  type FaultPlan,
  type Phase,
  type PhasedScenario,
  type Scenario,
} from '../scenarios/scenario.ts';
import type { AlertmanagerClient } from '../clients/alertmanager-client.ts';
import type { ShopClient } from '../clients/shop-client.ts';
import type { Targets } from '../clients/targets.ts';
import { SilenceSwitch } from './silence-switch.ts';

export interface RunOptions {
  scenario: Scenario;
  targets: Targets;
  shop: ShopClient;
  /** Grafana, or the rule preview; null when neither can say (the alert states show as unknown). */
  alerts: AlertStateSource | null;
  /** Overrides the scenario's total duration; phases keep their proportions. */
  durationSeconds?: number;
  /** Multiplies every rate of the scenario. */
  rateMultiplier: number;
  /** Keep the last phase going until every expected alert fires, up to timeoutSeconds (per part). */
  untilFiring: boolean;
  timeoutSeconds: number;
  /**
   * Background traffic: the last phase goes on until the signal aborts it (at most
   * untilStoppedSeconds), and what its shoppers buy is put back.
   */
  untilStopped?: boolean;
  /** With untilFiring: stop once these alerts fire (default: every expected alert). */
  awaitedAlerts?: string[];
  /** With untilFiring: stop only once every instance the catalog expects (firesIn) has fired. */
  awaitEveryInstance?: boolean;
  seed?: number;
  /** Exponential gaps between arrivals (a Poisson process) instead of even spacing. */
  poisson?: boolean;
  signal: AbortSignal;
  onEvent(event: RunEvent): void;
  /** Where the silences of scenarios that set them go (Grafana's Alertmanager, or the native one). */
  alertmanager?: Pick<AlertmanagerClient, 'createSilence' | 'expireSilence'>;
}

export interface RunResult {
  parts: PartSummary[];
  interrupted: boolean;
  /** Awaited alerts (or instances, "uid service=api") not seen firing during the run. */
  notFired: string[];
  alertSource: AlertSourceKind;
  /** With untilStopped: items its shoppers bought and were put back, and those still owed. */
  restocked?: { items: number; owed: number };
}

const tickMs = 500;
const alertPollMs = 2_000;
/** Safety bound on in-flight journeys; each scenario's rates keep far below it. */
const maxInFlight = 200;

/** Runs a scenario (or the parts of a sequence), always undoing its faults at the end. */
export async function runScenario(options: RunOptions): Promise<RunResult> {
  const parts = scenarioParts(options.scenario);
  const seed = options.seed ?? randomSeed();
  const needsAdmin = parts.some((part) => faultedServices(part).length > 0) || parts.length > 1;
  if (needsAdmin && !options.targets.adminToken) {
    throw new UsageError(
      `${options.scenario.name} sets faults: set ADMIN_TOKEN (or --admin-token) to the stack's token`,
    );
  }
  const silencing = parts.find(setsSilences);
  if (silencing && !options.alertmanager) {
    throw new UsageError(
      `${silencing.name} sets a silence: it needs an Alertmanager (Grafana's, or the native runner's with prometheus-alertmanager installed)`,
    );
  }
  const products = await options.shop.products();
  const shopFront: ShopFront = {
    apiOrigin: new URL(options.targets.services.api).origin,
    frontendOrigin: new URL(options.targets.services.frontend).origin,
    skus: products.map((product) => product.sku),
  };
  if (shopFront.skus.length === 0)
    throw new UsageError('the api lists no products: run `shopfast-sim reset`');
  const restocker = options.untilStopped ? new PurchaseRestocker(options.shop) : null;
  if (restocker) {
    shopFront.onPurchase = (sku, quantity) => restocker.record(sku, quantity);
    restocker.start();
  }

  const plannedTotal = parts.reduce((sum, part) => sum + phasesSeconds(part.phases), 0);
  const durationScale = options.durationSeconds === undefined ? 1 : options.durationSeconds / plannedTotal;
  const summaries: PartSummary[] = [];
  try {
    for (const [index, part] of parts.entries()) {
      if (options.signal.aborted) break;
      if (index > 0) {
        // A clean start for each part, so the previous part's alerts can resolve.
        await resetEverything(options.shop, { clearIncidents: false });
        options.onEvent({ type: 'reset', before: part.name });
      }
      summaries.push(await runPart(part, { ...options, seed: seed + index, durationScale, shopFront }));
    }
  } finally {
    await restocker?.stop();
  }
  return {
    parts: summaries,
    interrupted: options.signal.aborted,
    notFired: summaries.flatMap((summary) => notFired(summary, options)),
    alertSource: options.alerts?.kind ?? null,
    ...(restocker ? { restocked: { items: restocker.restocked, owed: restocker.pending } } : {}),
  };
}

function notFired(summary: PartSummary, options: RunOptions): string[] {
  const awaited = (uid: string) => options.awaitedAlerts === undefined || options.awaitedAlerts.includes(uid);
  return (summary.alerts ?? [])
    .filter((alert) => awaited(alert.uid))
    .flatMap((alert) => {
      if (!options.awaitEveryInstance) return alert.firingAfterSeconds === undefined ? [alert.uid] : [];
      return alert.instances
        .filter((instance) => instance.firingAfterSeconds === undefined)
        .map((instance) => [alert.uid, instanceName(instance.labels)].filter(Boolean).join(' '));
    });
}

interface PartContext extends RunOptions {
  seed: number;
  durationScale: number;
  shopFront: ShopFront;
}

async function runPart(part: PhasedScenario, context: PartContext): Promise<PartSummary> {
  const phases = scalePhases(part.phases, context.durationScale);
  const plannedSeconds = phasesSeconds(phases);
  // A shorter run moves the incident earlier, but the alert pipeline takes as long as ever.
  const scaledPart: PhasedScenario = { ...part, phases: [...phases] };
  const alerts = expectedAlerts(part).map((alert) => ({
    alert,
    expectedSeconds: expectedFiringSeconds(scaledPart, alert) ?? alert.expectedSecondsToFire,
    instances: alert.firesIn[part.name] ?? [],
  }));
  const slowest = Math.max(0, ...alerts.map(({ expectedSeconds }) => expectedSeconds));
  const awaited = context.awaitedAlerts ?? alerts.map(({ alert }) => alert.uid);
  // A scenario that plays in full keeps every phase; --until-firing then only waits, never cuts.
  const stopsWhenFiring = context.untilFiring && awaited.length > 0 && !part.playsInFull;
  const phasesToRun = context.untilStopped
    ? fitToLength(phases, untilStoppedSeconds, 'until stopped')
    : stopsWhenFiring
      ? fitToLength(phases, context.timeoutSeconds, 'until firing')
      : phases;
  const totalSeconds = phasesSeconds(phasesToRun);
  const stages = trafficStages(phasesToRun, context.rateMultiplier, context.shopFront);
  const plannedArrivals = expectedArrivals(stages, totalSeconds);
  context.onEvent({
    type: 'start',
    scenario: part.name,
    story: part.story,
    plannedSeconds,
    untilFiring: context.untilFiring,
    timeoutSeconds: context.timeoutSeconds,
    seed: context.seed,
    alertSource: context.alerts?.kind ?? null,
    expected: alerts.map(({ alert, expectedSeconds }) => ({
      uid: alert.uid,
      title: alert.title,
      expectedSeconds,
    })),
    ...(totalSeconds < slowest
      ? {
          warning: `the alerts need ~${Math.ceil(slowest)} s to fire; this run lasts ${Math.round(totalSeconds)} s`,
        }
      : {}),
  });

  const faults = new FaultSwitch(context.shop);
  const silences = context.alertmanager ? new SilenceSwitch(context.alertmanager) : null;
  const startedAt = Date.now();
  const watch = context.alerts ? new AlertWatch(context.alerts, alerts, startedAt) : null;
  const done = () =>
    watch !== null &&
    (context.awaitEveryInstance ? watch.everyInstanceFiring() : awaited.length > 0 && watch.firing(awaited));
  let phaseName = phasesToRun[0]?.name ?? '';
  let faultChanges: Promise<void> = Promise.resolve();
  let faultError: unknown;
  const stopOnFaultError = new AbortController();
  const run = startTraffic({
    stages,
    maxInFlight,
    maxArrivals: Math.ceil(plannedArrivals * 1.1) + 100,
    seed: context.seed,
    poisson: context.poisson ?? false,
    // Background traffic ends on Ctrl-C as planned: journeys under way finish (their purchases
    // are put back) instead of being cut off.
    signal: context.untilStopped
      ? stopOnFaultError.signal
      : AbortSignal.any([context.signal, stopOnFaultError.signal]),
    onStageStart: (index) => {
      const phase = phasesToRun[index] as Phase;
      phaseName = phase.name;
      faultChanges = faultChanges
        .then(() => faults.apply(phase.faults ?? {}))
        .then(() => silences?.applyPhase(phase.silence, phase.durationSeconds))
        .then(() =>
          context.onEvent({
            type: 'phase',
            scenario: part.name,
            phase: phase.name,
            faults: phase.faults ?? {},
            atSeconds: (Date.now() - startedAt) / 1000,
          }),
        )
        .catch((error: unknown) => {
          faultError = error;
          stopOnFaultError.abort();
        });
    },
  });

  if (context.untilStopped) context.signal.addEventListener('abort', () => run.stop(), { once: true });
  const history: TrafficSnapshot[] = [];
  let lastPoll = 0;
  let polling = false;
  const ticker = setInterval(() => {
    const snapshot = run.snapshot();
    history.push(snapshot);
    if (history.length > 10) history.shift();
    if (watch && !polling && Date.now() - lastPoll >= alertPollMs) {
      polling = true;
      lastPoll = Date.now();
      void watch
        .poll()
        .then(({ changes, unexpected }) => {
          for (const change of changes) {
            const title = alerts.find(({ alert }) => alert.uid === change.uid)?.alert.title ?? change.uid;
            context.onEvent({ type: 'alert', scenario: part.name, title, ...change });
          }
          for (const alert of unexpected)
            context.onEvent({ type: 'unexpected', scenario: part.name, ...alert });
          if (stopsWhenFiring && done()) run.stop();
        })
        .finally(() => {
          polling = false;
        });
    }
    context.onEvent({
      type: 'progress',
      ...liveStatus(part.name, phaseName, totalSeconds, history, faults.current, watch),
    });
  }, tickMs);

  let report: TrafficReport;
  let undo: Awaited<ReturnType<FaultSwitch['undoAll']>>;
  try {
    report = await run.finished;
  } finally {
    clearInterval(ticker);
    await faultChanges;
    undo = await faults.undoAll();
    // A silence that cannot be lifted (the Alertmanager went away) ends by itself 30 s after its phase.
    await silences?.undoAll().catch(() => undefined);
  }
  if (faultError) throw faultError;
  if (watch && !context.signal.aborted) await watch.poll();
  const summary = summarize(part.name, report, watch, undo);
  context.onEvent({ type: 'part-summary', ...summary });
  return summary;
}

/** The alerts' progress, or null when their states are unknown (no source, or it did not answer). */
function alertStates(watch: AlertWatch | null): AlertProgress[] | null {
  return watch && watch.sourceReachable !== false ? [...watch.alerts] : null;
}

function liveStatus(
  scenario: string,
  phase: string,
  totalSeconds: number,
  history: TrafficSnapshot[],
  faults: FaultPlan,
  watch: AlertWatch | null,
): LiveStatus {
  const latest = history[history.length - 1] as TrafficSnapshot;
  const oldest = history[0] as TrafficSnapshot;
  const span = latest.elapsedSeconds - oldest.elapsedSeconds;
  const windowRate = (pick: (s: TrafficSnapshot) => number) =>
    span > 0 ? (pick(latest) - pick(oldest)) / span : 0;
  const requests = latest.requests - oldest.requests;
  return {
    scenario,
    phase,
    elapsedSeconds: latest.elapsedSeconds,
    totalSeconds,
    targetRate: latest.currentTargetRate,
    achievedRate: windowRate((s) => s.started),
    requestRate: windowRate((s) => s.requests),
    errorPercent: requests > 0 ? ((latest.failedRequests - oldest.failedRequests) / requests) * 100 : 0,
    p95Ms: latest.latency.p95Ms,
    inFlight: latest.inFlight,
    dropped: latest.dropped,
    faults,
    alertSource: watch?.sourceKind ?? null,
    alerts: alertStates(watch),
  };
}

function summarize(
  scenario: string,
  report: TrafficReport,
  watch: AlertWatch | null,
  undo: Awaited<ReturnType<FaultSwitch['undoAll']>>,
): PartSummary {
  return {
    scenario,
    stopReason: report.stopReason,
    elapsedSeconds: report.elapsedSeconds,
    journeys: report.started,
    lateStarts: report.lateStarts,
    dropped: report.dropped,
    targetRate: report.targetRate,
    achievedRate: report.achievedRate,
    requests: report.requests,
    errorPercent: report.requests > 0 ? (report.failedRequests / report.requests) * 100 : 0,
    latency: report.latency,
    statusCounts: report.statusCounts,
    journeysByKind: Object.fromEntries(
      Object.entries(report.actions).map(([name, action]) => [
        name,
        { iterations: action.iterations, failed: action.failed, p95Ms: action.latency.p95Ms },
      ]),
    ),
    slowestJourneys: report.slowestJourneys,
    alerts: alertStates(watch),
    unexpected: watch?.unexpected ?? [],
    alertSource: watch?.sourceKind ?? null,
    faultsUndone: undo.undone,
    faultsLeft: undo.failed,
  };
}
