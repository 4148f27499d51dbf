import type { AlertDefinition } from '../grafana/src/catalog.ts';
import type { AlertState, GrafanaClient } from './grafana-client.ts';

export interface AlertProgress {
  uid: string;
  title: string;
  /** Unknown until Grafana has answered, or when the rule is not loaded. */
  state: AlertState | 'Unknown';
  /** Seconds from the watch's start to the first Pending / Firing seen. */
  pendingAfterSeconds?: number;
  firingAfterSeconds?: number;
  /** When the alert catalog expects it to fire (seconds from the start). */
  expectedSeconds: number;
}

export interface AlertChange {
  uid: string;
  state: AlertState | 'Unknown';
  atSeconds: number;
}

/** Follows the expected alerts' states in Grafana, remembering when each went Pending and Firing. */
export class AlertWatch {
  private readonly progress: AlertProgress[];
  private reachable: boolean | undefined;

  constructor(
    private readonly grafana: GrafanaClient,
    alerts: { alert: AlertDefinition; expectedSeconds: number }[],
    private readonly startedAt: number,
  ) {
    this.progress = alerts.map(({ alert, expectedSeconds }) => ({
      uid: alert.uid,
      title: alert.title,
      state: 'Unknown',
      expectedSeconds,
    }));
  }

  /** Undefined before the first poll; false when Grafana did not answer the last one. */
  get grafanaReachable(): boolean | undefined {
    return this.reachable;
  }

  get alerts(): readonly AlertProgress[] {
    return this.progress;
  }

  /** Every one of these alerts has been seen firing. */
  firing(uids: string[]): boolean {
    return uids.every(
      (uid) => this.progress.find((alert) => alert.uid === uid)?.firingAfterSeconds !== undefined,
    );
  }

  /** Polls Grafana once; returns the alerts whose state changed. */
  async poll(now = Date.now()): Promise<AlertChange[]> {
    let statuses;
    try {
      statuses = await this.grafana.ruleStatuses();
      this.reachable = true;
    } catch {
      this.reachable = false;
      return [];
    }
    const atSeconds = (now - this.startedAt) / 1000;
    const changes: AlertChange[] = [];
    for (const alert of this.progress) {
      const state = statuses.get(alert.uid)?.state ?? 'Unknown';
      if (state === 'Pending') alert.pendingAfterSeconds ??= atSeconds;
      if (state === 'Firing') alert.firingAfterSeconds ??= atSeconds;
      if (state !== alert.state) changes.push({ uid: alert.uid, state, atSeconds });
      alert.state = state;
    }
    return changes;
  }
}
