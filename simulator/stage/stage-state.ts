import { alertByUid, alertCatalog, type AlertDefinition, type InstanceLabels } from '../../domain/alerts.ts';
import type { FaultReport } from '../../domain/faults.ts';
import { activeInstances, instanceKey } from '../alerts/instances.ts';
import type { RuleStatus } from '../alerts/state-source.ts';
import {
  clock,
  faultList,
  normalLine,
  refireLine,
  sourcePrefix,
  unexpectedLine,
  waitingLine,
} from '../display/format.ts';
import type { RunEvent } from '../run/events.ts';
import type { FaultPlan } from '../scenarios/scenario.ts';
import { buildCards, cardId, nothingKnown, type NotificationInfo, type RunExpectation } from './cards.ts';
import type { ActivityView, BoothView, SourceView, StageSnapshot, TrafficView } from './snapshot.ts';
import { faultViews, trafficView } from './traffic.ts';
import { ValueHistory } from './value-history.ts';

const logLength = 8;

/**
 * Everything the page shows, kept up to date by the watchers (alert states, values, notifications,
 * faults) and by what the controls run (their RunEvents); every change is published to the
 * subscribers as a new snapshot, stamped with when the change was seen.
 */
export class StageState {
  readonly history = new ValueHistory();
  private statuses: Map<string, RuleStatus> | null = null;
  private answering = true;
  private readonly seen = new Map<string, InstanceLabels[]>();
  private notifications: (alert: AlertDefinition, labels: InstanceLabels) => NotificationInfo = () =>
    nothingKnown;
  private readonly cleared = new Map<string, number>();
  private expectation: RunExpectation | null = null;
  private traffic: TrafficView | null = null;
  private runFaults: FaultPlan = {};
  private faultReports: FaultReport[] | null = null;
  private activityView: ActivityView | null = null;
  private boothView: BoothView | null = null;
  private readonly log: { atMs: number; text: string }[] = [];
  private readonly listeners = new Set<(snapshot: StageSnapshot) => void>();
  private seq = 0;
  private changedAtMs: number;
  private pending = false;

  constructor(
    private source: Omit<SourceView, 'answering'>,
    private readonly now: () => number = Date.now,
  ) {
    this.changedAtMs = now();
  }

  subscribe(listener: (snapshot: StageSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): StageSnapshot {
    const nowMs = this.now();
    return {
      seq: this.seq,
      sentAtMs: nowMs,
      changedAtMs: this.changedAtMs,
      source: { ...this.source, answering: this.answering },
      cards: buildCards({
        statuses: this.answering ? this.statuses : null,
        history: this.history,
        seen: this.seen,
        notifications: this.notifications,
        clearedAtMs: this.cleared,
        expectation: this.expectation,
        nowMs,
      }),
      traffic: this.traffic,
      faults: faultViews(
        this.faultReports,
        this.traffic ? { plan: this.runFaults, endsAtMs: this.traffic.endsAtMs } : null,
      ),
      activity: this.activityView,
      booth: this.boothView,
      log: [...this.log],
    };
  }

  get activity(): ActivityView | null {
    return this.activityView;
  }

  /** A change to publish. Changes within one turn of the event loop go out as one snapshot. */
  changed(): void {
    if (!this.pending) this.changedAtMs = this.now();
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      this.seq += 1;
      const snapshot = this.snapshot();
      for (const listener of this.listeners) listener(snapshot);
    });
  }

  setSourceLabels(source: Partial<Omit<SourceView, 'answering'>>): void {
    this.source = { ...this.source, ...source };
    this.changed();
  }

  /** The source's latest answer, or null when it did not answer. */
  setStatuses(statuses: Map<string, RuleStatus> | null): void {
    const answering = statuses !== null;
    const changed =
      answering !== this.answering ||
      (statuses !== null && JSON.stringify([...statuses]) !== JSON.stringify([...(this.statuses ?? [])]));
    this.answering = answering;
    if (statuses) {
      this.statuses = statuses;
      this.rememberActive(statuses);
    }
    if (changed) this.changed();
  }

  setNotifications(info: (alert: AlertDefinition, labels: InstanceLabels) => NotificationInfo): void {
    this.notifications = info;
    this.changed();
  }

  setFaultReports(reports: FaultReport[] | null): void {
    if (JSON.stringify(reports) === JSON.stringify(this.faultReports)) return;
    this.faultReports = reports;
    this.changed();
  }

  setActivity(activity: ActivityView | null): void {
    this.activityView = activity;
    if (!activity) {
      this.expectation = null;
      this.traffic = null;
      this.runFaults = {};
    }
    this.changed();
  }

  updateActivity(change: Partial<ActivityView>): void {
    if (!this.activityView) return;
    this.activityView = { ...this.activityView, ...change };
    this.changed();
  }

  setBooth(booth: BoothView | null): void {
    this.boothView = booth;
    this.changed();
  }

  /** Every alert's cause is gone from now on (a reset). */
  clearedAll(): void {
    for (const alert of alertCatalog) this.cleared.set(alert.uid, this.now());
    this.changed();
  }

  note(text: string): void {
    this.log.push({ atMs: this.now(), text });
    if (this.log.length > logLength) this.log.shift();
    this.changed();
  }

  /** What a scenario run, a wait for Normal or a rehearsal reports as it goes. */
  onRunEvent(event: RunEvent): void {
    switch (event.type) {
      case 'start':
        this.expectation = {
          startedAtMs: this.now(),
          fireSeconds: new Map(event.expected.map((alert) => [alert.uid, alert.expectedSeconds])),
          cardIds: new Set(
            event.expected.flatMap(({ uid }) => {
              const alert = alertByUid(uid);
              const scenario = event.scenario as keyof AlertDefinition['firesIn'];
              return alert ? (alert.firesIn[scenario] ?? [{}]).map((labels) => cardId(alert, labels)) : [];
            }),
          ),
        };
        this.updateActivity({
          expected: event.expected,
          partStartedAtMs: this.now(),
          status: `${event.scenario} started`,
        });
        this.note(`${event.scenario}: ${event.story}${event.warning ? ` (${event.warning})` : ''}`);
        return;
      case 'progress':
        this.traffic = trafficView(event, this.now());
        this.runFaults = event.faults;
        this.changed();
        return;
      case 'phase':
        this.updateActivity({ status: `phase ${event.phase}` });
        this.note(
          `${event.scenario}: phase ${event.phase} at ${clock(event.atSeconds)}, faults ${faultList(event.faults)}`,
        );
        return;
      case 'alert':
        this.note(
          `${sourcePrefix(this.source.kind)}${event.title} ${event.state} at ${clock(event.atSeconds)}`,
        );
        return;
      case 'unexpected':
        this.note(`unexpected: ${sourcePrefix(this.source.kind)}${unexpectedLine(event)}`);
        return;
      case 'waiting':
        this.updateActivity({ status: waitingLine(event) });
        return;
      case 'normal':
        this.updateActivity({ status: normalLine(event) });
        this.note(normalLine(event));
        return;
      case 'refire':
        this.updateActivity({ status: refireLine(event) });
        this.note(refireLine(event));
        return;
      case 'reset':
        this.clearedAll();
        this.note(`reset before ${event.before}`);
        return;
      case 'part-summary':
        // Its faults are undone: what only the scenario's end clears starts to resolve.
        for (const alert of alertCatalog)
          if (alert.resolvedBy === 'scenario end') this.cleared.set(alert.uid, this.now());
        this.traffic = null;
        this.runFaults = {};
        this.note(
          `${event.scenario} finished after ${clock(event.elapsedSeconds)} (${event.stopReason}); ${event.faultsLeft.length > 0 ? `faults NOT undone on ${event.faultsLeft.map((f) => f.service).join(', ')}` : 'faults undone'}`,
        );
        return;
    }
  }

  /** Instances outside the catalog's expectations get a card once seen active, and keep it. */
  private rememberActive(statuses: Map<string, RuleStatus>): void {
    for (const alert of alertCatalog) {
      const status = statuses.get(alert.uid);
      if (!status) continue;
      const known = this.seen.get(alert.uid) ?? [];
      for (const instance of activeInstances(alert, status)) {
        if (alert.instanceLabels.length === 0) continue;
        if (known.some((labels) => instanceKey(alert, labels) === instanceKey(alert, instance.labels)))
          continue;
        known.push(instance.labels);
        this.seen.set(alert.uid, known);
      }
    }
  }
}
