import { alertByUid } from '../../domain/alerts.ts';
import { serviceNames } from '../../domain/services.ts';
import type { AlertStateSource } from '../alerts/state-source.ts';
import type { ShopClient } from '../clients/shop-client.ts';
import type { RulePreview } from '../preview/rule-preview.ts';
import { cardId } from './cards.ts';
import { notificationInfo, type NotificationFeed } from './notifications.ts';
import type { StageState } from './stage-state.ts';

export interface WatcherOptions {
  state: StageState;
  /** Grafana or the rule preview; null when neither can say (every card Unknown). */
  source: AlertStateSource | null;
  /** The rule preview whose evaluations give the cards their values (it may also be the source). */
  values: RulePreview | null;
  feed: NotificationFeed;
  shop: ShopClient;
  /** The services' faults are read only with the admin token. */
  readFaults: boolean;
  statePollMs?: number;
  slowPollMs?: number;
}

/** Runs `work` every `ms` (never two at once) until stopped; `now()` runs it at once. */
function every(ms: number, work: () => Promise<void>) {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= work()
      .catch(() => {})
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void run(), ms);
  void run();
  return {
    now: () => void run(),
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Keeps the stage's state current: the alert states (polled, and at once after each preview
 * evaluation), the values of every instance from the preview's evaluations, the notifications and
 * silences, and the faults the services report.
 */
export function startWatchers(options: WatcherOptions): { stop(): Promise<void> } {
  const { state, source, values, feed, shop } = options;
  const states = every(options.statePollMs ?? 1_000, async () => {
    if (!source) return;
    state.setStatuses(await source.ruleStatuses().catch(() => null));
  });
  const unsubscribe = values?.onEvaluation((evaluation) => {
    const alert = alertByUid(evaluation.uid);
    if (!alert || !evaluation.results) return;
    for (const result of evaluation.results)
      state.history.add(cardId(alert, result.labels), { atMs: evaluation.atMs, value: result.value ?? null });
    state.changed();
    // A state change happens at an evaluation: read it now rather than at the next poll.
    if (source === values) states.now();
  });
  const notifications = every(options.slowPollMs ?? 2_000, async () => {
    if (!(await feed.refresh())) return;
    state.setNotifications((alert, labels) => notificationInfo(feed.current, alert, labels));
    state.setSourceLabels({ notifications: feed.describe() });
  });
  const faults = every(options.slowPollMs ?? 2_000, async () => {
    if (!options.readFaults) return;
    state.setFaultReports(
      await Promise.all(serviceNames.map((service) => shop.faults(service))).catch(() => null),
    );
  });
  return {
    stop: async () => {
      unsubscribe?.();
      await Promise.all([states.stop(), notifications.stop(), faults.stop()]);
    },
  };
}
