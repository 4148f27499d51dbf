import { alertByUid, alertCatalog, ruleGroup, type AlertDefinition } from '../../domain/alerts.ts';
import { activeInstances, instanceKey } from '../alerts/instances.ts';
import type { AlertStateSource } from '../alerts/state-source.ts';
import type { UnexpectedAlert } from '../alerts/watch.ts';
import type { RuleStatus } from '../alerts/state-source.ts';
import { expectedRow, quietRow, unexpectedRow, type RehearsalRow } from './rehearsal.ts';
import { resetEverything } from '../run/reset.ts';
import type { RunEvent } from '../run/events.ts';
import { runScenario } from '../run/run-scenario.ts';
import { expectedAlerts, phasedScenario } from '../scenarios/registry.ts';
import { scenarioNames } from '../../domain/scenarios.ts';
import {
  phasesSeconds,
  setsSilences,
  silencedUntilSeconds,
  type PhasedScenario,
} from '../scenarios/scenario.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AlertmanagerClient } from '../clients/alertmanager-client.ts';
import type { IncidentNotices, ShopClient } from '../clients/shop-client.ts';
import { instanceNotifications, notificationProblems, notifySlackSeconds } from './notifications.ts';
import type { Targets } from '../clients/targets.ts';
import { waitUntilNormalReported } from '../alerts/wait-for-normal.ts';

/** Every phased scenario in the registry's order (`all` is what a rehearsal replaces). */
export const rehearsedScenarios = scenarioNames.filter((name) => name !== 'all').map(phasedScenario);

/** normal runs this long: two evaluations, enough for any rule to show Pending. */
export const quietSeconds = 2 * ruleGroup.intervalSeconds;
/** A scenario with alerts runs until they all fire, at most its length plus this. */
export const overrunSeconds = 2 * ruleGroup.intervalSeconds;
/** Waits for Normal last the slowest resolve estimate plus this, so that late shows as late, not as never. */
const resolveMarginSeconds = 30;

const slowestResolve = (alerts: readonly AlertDefinition[]) =>
  Math.max(0, ...alerts.map((alert) => alert.expectedSecondsToResolve)) + ruleGroup.intervalSeconds;

export interface RehearsalOptions {
  source: AlertStateSource;
  /**
   * Where notifications are delivered on this stack (Grafana's Alertmanager, or the native one the
   * preview posts to); without one, nobody is told and the notification columns stay empty.
   */
  alertmanager?: AlertmanagerClient | null;
  shop: ShopClient;
  targets: Targets;
  seed?: number;
  signal: AbortSignal;
  onEvent(event: RunEvent): void;
  scenarios?: readonly PhasedScenario[];
}

export interface RehearsalResult {
  rows: RehearsalRow[];
  interrupted: boolean;
}

/**
 * Plays each scenario after a reset and a wait for every rule to be Normal; follows its expected
 * instances to Firing, resets, and follows them back to Normal; records anything else that left
 * Normal on the way.
 */
export async function rehearse(options: RehearsalOptions): Promise<RehearsalResult> {
  const rows: RehearsalRow[] = [];
  for (const [index, scenario] of (options.scenarios ?? rehearsedScenarios).entries()) {
    if (options.signal.aborted) break;
    rows.push(...(await rehearseScenario(scenario, index, options)));
  }
  return { rows, interrupted: options.signal.aborted };
}

async function rehearseScenario(
  scenario: PhasedScenario,
  index: number,
  options: RehearsalOptions,
): Promise<RehearsalRow[]> {
  const expected = expectedAlerts(scenario);
  await resetEverything(options.shop, { clearIncidents: false });
  options.onEvent({ type: 'reset', before: scenario.name });
  const ready = await waitUntilNormalReported({
    source: options.source,
    timeoutSeconds: slowestResolve(alertCatalog) + resolveMarginSeconds,
    reason: `before ${scenario.name}`,
    signal: options.signal,
    onEvent: options.onEvent,
  });
  if (!ready.normal) {
    if (ready.interrupted) return [];
    const notRun = expected.flatMap((alert) =>
      (alert.firesIn[scenario.name] ?? []).map((labels) =>
        expectedRow({ scenario: scenario.name, alert, labels, expectedFireSeconds: 0, notRun: true }),
      ),
    );
    return notRun.length > 0 ? notRun : [quietRow(scenario.name, true)];
  }

  if (setsSilences(scenario) && !options.alertmanager) return [quietRow(scenario.name, true)];
  const startedAtMs = Date.now();
  const run = await runScenario({
    scenario,
    targets: options.targets,
    shop: options.shop,
    alerts: options.source,
    ...(options.alertmanager ? { alertmanager: options.alertmanager } : {}),
    rateMultiplier: 1,
    untilFiring: expected.length > 0,
    awaitEveryInstance: true,
    timeoutSeconds: phasesSeconds(scenario.phases) + overrunSeconds,
    signal: options.signal,
    onEvent: options.onEvent,
    ...(expected.length === 0 ? { durationSeconds: quietSeconds } : {}),
    ...(options.seed === undefined ? {} : { seed: options.seed + index }),
  });
  const part = run.parts[0];
  if (!part || run.interrupted) return [];

  // Back to Normal: every instance that left Normal is followed until it is Normal again.
  const resetAt = Date.now();
  await resetEverything(options.shop, { clearIncidents: false });
  const followed = new Map<string, { resolvedAtSeconds?: number }>();
  const afterReset: UnexpectedAlert[] = [];
  const unexpectedIds = new Set(part.unexpected.map((alert) => idOf(alert.uid, alert.labels)));
  const expectedIds = new Set(
    expected.flatMap((alert) =>
      (alert.firesIn[scenario.name] ?? []).map((labels) => idOf(alert.uid, labels)),
    ),
  );
  for (const id of [...expectedIds, ...unexpectedIds]) followed.set(id, {});
  await waitUntilNormalReported({
    source: options.source,
    timeoutSeconds: slowestResolve(expected) + resolveMarginSeconds,
    reason: `after ${scenario.name}`,
    signal: options.signal,
    onEvent: options.onEvent,
    onPoll: ({ statuses }) => {
      const seconds = (Date.now() - resetAt) / 1000;
      const active = activeIds(statuses);
      for (const [id, entry] of followed) if (!active.has(id)) entry.resolvedAtSeconds ??= seconds;
      for (const [id, alert] of active) {
        if (followed.has(id)) continue;
        followed.set(id, {});
        afterReset.push({ ...alert, atSeconds: seconds });
      }
    },
  });

  const resolvedAt = (uid: string, labels: Record<string, string>) =>
    followed.get(idOf(uid, labels))?.resolvedAtSeconds;
  const incidents = options.alertmanager
    ? await incidentsOnceResolvesAreHeard(options.shop, expected.length > 0, options.signal)
    : null;
  const rows: RehearsalRow[] = (part.alerts ?? []).flatMap((progress) => {
    const alert = alertByUid(progress.uid);
    if (!alert) return [];
    return progress.instances.map((instance) => {
      const fired = instance.firingAfterSeconds;
      const pending = instance.pendingAfterSeconds;
      // Only what fired can resolve; an instance that never left Normal has nothing to time.
      const resolved = fired === undefined ? undefined : resolvedAt(alert.uid, instance.labels);
      const row = expectedRow({
        scenario: scenario.name,
        alert,
        labels: instance.labels,
        expectedFireSeconds: progress.expectedSeconds,
        ...(pending === undefined ? {} : { pendingAtSeconds: pending }),
        ...(fired === undefined ? {} : { firedAtSeconds: fired }),
        ...(resolved === undefined ? {} : { resolvedAtSeconds: resolved }),
      });
      if (!incidents) return row;
      const heard = instanceNotifications(incidents, alert, instance.labels, {
        startedAtMs,
        resetAtMs: resetAt,
      });
      const silenced = silencedUntilSeconds(scenario, alert.uid);
      const problems = notificationProblems(heard, {
        ...(fired === undefined ? {} : { firedAtSeconds: fired }),
        ...(resolved === undefined ? {} : { resolvedAtSeconds: resolved }),
        ...(silenced === undefined ? {} : { silencedUntilSeconds: silenced }),
        ...(scenario.oneNotificationPair ? { onePair: true } : {}),
      });
      return { ...row, notifications: heard, problems: [...row.problems, ...problems] };
    });
  });
  for (const alert of part.unexpected) {
    const resolved = resolvedAt(alert.uid, alert.labels);
    rows.push(
      unexpectedRow(scenario.name, alert, {
        afterReset: false,
        ...(resolved === undefined ? {} : { resolvedAtSeconds: resolved }),
      }),
    );
  }
  for (const alert of afterReset) {
    const resolved = resolvedAt(alert.uid, alert.labels);
    rows.push(
      unexpectedRow(scenario.name, alert, {
        afterReset: true,
        ...(resolved === undefined ? {} : { resolvedAtSeconds: resolved }),
      }),
    );
  }
  return rows.length > 0 ? rows : [quietRow(scenario.name)];
}

/** How long after Normal the resolved notifications may take: group_interval, and a poll to see them. */
const resolveNoticeWaitMs = (notifySlackSeconds + 2) * 1000;

/**
 * The status page's incidents once the resolved notifications have had time to arrive (each
 * receiver's group flushes within its group_interval of the alert turning Normal).
 */
async function incidentsOnceResolvesAreHeard(
  shop: ShopClient,
  anyExpected: boolean,
  signal: AbortSignal,
): Promise<IncidentNotices[]> {
  if (anyExpected) await sleep(resolveNoticeWaitMs, undefined, { signal }).catch(() => undefined);
  return shop.incidents().catch(() => []);
}

function idOf(uid: string, labels: Record<string, string>): string {
  const alert = alertByUid(uid);
  return alert ? `${uid} ${instanceKey(alert, labels)}` : uid;
}

/** Every instance not Normal, by id, as an UnexpectedAlert without its time. */
function activeIds(statuses: Map<string, RuleStatus>): Map<string, Omit<UnexpectedAlert, 'atSeconds'>> {
  const active = new Map<string, Omit<UnexpectedAlert, 'atSeconds'>>();
  for (const alert of alertCatalog) {
    const status = statuses.get(alert.uid);
    if (!status) continue;
    for (const instance of activeInstances(alert, status)) {
      active.set(idOf(alert.uid, instance.labels), {
        uid: alert.uid,
        title: alert.title,
        labels: instance.labels,
        state: instance.state,
      });
    }
  }
  return active;
}
