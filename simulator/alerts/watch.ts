import { alertCatalog, type AlertDefinition, type InstanceLabels } from '../../domain/alerts.ts';
import { activeInstances, instanceKey, type ActiveInstance } from './instances.ts';
import type { AlertStateSource } from './state-source.ts';
import type { AlertState, RuleStatus } from './state-source.ts';

export interface InstanceProgress {
  labels: InstanceLabels;
  /** Normal until seen otherwise. */
  state: string;
  /** Seconds from the watch's start to this run's first Pending / Firing. */
  pendingAfterSeconds?: number;
  firingAfterSeconds?: number;
}

export interface AlertProgress {
  uid: string;
  title: string;
  /** The rule's state now; Unknown until the source has answered, or when the rule is not loaded. */
  state: AlertState | 'Unknown';
  /**
   * Seconds from the watch's start to the first Pending / Firing of any instance that became
   * active during this run; an alert already active at the start does not count.
   */
  pendingAfterSeconds?: number;
  firingAfterSeconds?: number;
  /** When the alert catalog expects it to fire (seconds from the start). */
  expectedSeconds: number;
  /** The instances the catalog expects this scenario to fire (its `firesIn`). */
  instances: InstanceProgress[];
}

/** An instance that left Normal although the scenario does not fire it. */
export interface UnexpectedAlert {
  uid: string;
  title: string;
  labels: InstanceLabels;
  /** Its worst state seen: Firing over Pending over the rest. */
  state: string;
  atSeconds: number;
}

export interface AlertChange {
  uid: string;
  state: AlertState | 'Unknown';
  atSeconds: number;
}

export interface WatchedAlert {
  alert: AlertDefinition;
  expectedSeconds: number;
  instances: InstanceLabels[];
}

/** One stretch of an instance not being Normal. */
interface Episode {
  /** It began after the watch started: its Pending and Firing count for this run. */
  fresh: boolean;
}

const severity = (state: string) => (state === 'Firing' ? 2 : state === 'Pending' ? 1 : 0);

/**
 * Follows every rule's instances in an alert state source. Only transitions that happen after
 * the watch started count: an instance first seen active counts when it became active after the
 * start (its activeSinceMs), one seen Normal (or absent) and then active always counts.
 */
export class AlertWatch {
  private readonly progress: AlertProgress[];
  private readonly unexpectedAlerts = new Map<string, UnexpectedAlert>();
  private episodes = new Map<string, Episode>();
  private lastPollMs: number | undefined;
  private reachable: boolean | undefined;

  constructor(
    private readonly source: AlertStateSource,
    private readonly expected: WatchedAlert[],
    private readonly startedAt: number,
    private readonly rules: readonly AlertDefinition[] = alertCatalog,
  ) {
    this.progress = expected.map(({ alert, expectedSeconds, instances }) => ({
      uid: alert.uid,
      title: alert.title,
      state: 'Unknown',
      expectedSeconds,
      instances: instances.map((labels) => ({ labels, state: 'Normal' })),
    }));
  }

  get sourceKind(): AlertStateSource['kind'] {
    return this.source.kind;
  }

  /** Undefined before the first poll; false when the source did not answer the last one. */
  get sourceReachable(): boolean | undefined {
    return this.reachable;
  }

  get alerts(): readonly AlertProgress[] {
    return this.progress;
  }

  get unexpected(): UnexpectedAlert[] {
    return [...this.unexpectedAlerts.values()];
  }

  /** Every one of these alerts has fired during this run. */
  firing(uids: string[]): boolean {
    return uids.every(
      (uid) => this.progress.find((alert) => alert.uid === uid)?.firingAfterSeconds !== undefined,
    );
  }

  /** Every instance the scenario is expected to fire has fired during this run. */
  everyInstanceFiring(): boolean {
    const instances = this.progress.flatMap((alert) => alert.instances);
    return instances.length > 0 && instances.every((instance) => instance.firingAfterSeconds !== undefined);
  }

  /** Polls the source once; returns the expected alerts whose state changed and new unexpected ones. */
  async poll(now = Date.now()): Promise<{ changes: AlertChange[]; unexpected: UnexpectedAlert[] }> {
    let statuses: Map<string, RuleStatus>;
    try {
      statuses = await this.source.ruleStatuses();
      this.reachable = true;
    } catch {
      this.reachable = false;
      return { changes: [], unexpected: [] };
    }
    const since = this.lastPollMs ?? this.startedAt;
    // Grafana's activeAt is the evaluation that changed the state: exact when it falls between
    // the last poll and this one, else the poll is the best bound there is.
    const transitionSeconds = (instance: ActiveInstance) => {
      const at = instance.activeSinceMs;
      return ((at !== undefined && at > since && at <= now ? at : now) - this.startedAt) / 1000;
    };
    const episodes = new Map<string, Episode>();
    const newlyUnexpected: UnexpectedAlert[] = [];
    const changes: AlertChange[] = [];
    for (const alert of this.rules) {
      const status = statuses.get(alert.uid);
      const progress = this.progress.find((candidate) => candidate.uid === alert.uid);
      if (progress) {
        const state = status?.state ?? 'Unknown';
        if (state !== progress.state)
          changes.push({ uid: alert.uid, state, atSeconds: (now - this.startedAt) / 1000 });
        progress.state = state;
        for (const instance of progress.instances) instance.state = 'Normal';
      }
      if (!status) continue;
      for (const instance of activeInstances(alert, status)) {
        const id = `${alert.uid} ${instanceKey(alert, instance.labels)}`;
        const episode = this.episodes.get(id) ?? {
          fresh:
            this.lastPollMs !== undefined ||
            (instance.activeSinceMs !== undefined && instance.activeSinceMs > this.startedAt),
        };
        episodes.set(id, episode);
        const expected = progress?.instances.find(
          (candidate) => instanceKey(alert, candidate.labels) === instanceKey(alert, instance.labels),
        );
        if (expected) expected.state = instance.state;
        if (episode.fresh && progress) {
          const at = transitionSeconds(instance);
          for (const target of expected ? [progress, expected] : [progress]) {
            if (instance.state === 'Pending') target.pendingAfterSeconds ??= at;
            if (instance.state === 'Firing') target.firingAfterSeconds ??= at;
          }
        }
        if (expected && (instance.state === 'Pending' || instance.state === 'Firing')) continue;
        const known = this.unexpectedAlerts.get(id);
        if (!known) {
          const unexpected = {
            uid: alert.uid,
            title: alert.title,
            labels: instance.labels,
            state: instance.state,
            atSeconds: transitionSeconds(instance),
          };
          this.unexpectedAlerts.set(id, unexpected);
          newlyUnexpected.push(unexpected);
        } else if (severity(instance.state) > severity(known.state)) {
          known.state = instance.state;
        }
      }
    }
    this.episodes = episodes;
    this.lastPollMs = now;
    return { changes, unexpected: newlyUnexpected };
  }
}
