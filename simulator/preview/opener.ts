import { setTimeout as sleep } from 'node:timers/promises';
import type { PreviewOpener } from '../alerts/open-source.ts';
import { connectDataSources } from './connect-sources.ts';
import { provisionedRuleGroups } from './rule-document.ts';
import { RulePreview } from './rule-preview.ts';
import { AlertmanagerClient } from '../clients/alertmanager-client.ts';
import { sendPreviewAlerts } from './alert-sender.ts';

/**
 * The rule preview over the targets' Prometheus, Loki (or the native runner's stand-in) and
 * PostgreSQL, evaluating from now on. Its first evaluation runs at once, at the latest aligned tick,
 * so that a command sees what is already Pending or Firing before it starts anything: without
 * it the first states would come only at the next tick, and an old condition would look new.
 */
const firstEvaluationTimeoutMs = 10_000;

export const openRulePreview: PreviewOpener = async (targets) => {
  const groups = provisionedRuleGroups();
  const connected = connectDataSources({
    prometheusUrl: targets.prometheusUrl,
    lokiUrl: targets.lokiUrl,
    databaseUrl: targets.databaseUrl,
  });
  const preview = new RulePreview({ groups, sources: connected.sources });
  // Where an Alertmanager runs beside the preview, it decides who is told, as Grafana's would.
  const alertmanager = targets.alertmanagerUrl ? AlertmanagerClient.upstream(targets.alertmanagerUrl) : null;
  const stopSending = alertmanager
    ? sendPreviewAlerts(preview, {
        post: (alerts) => alertmanager.postAlerts(alerts),
        folder: groups[0]!.folder,
        intervalSeconds: groups[0]!.intervalSeconds,
        grafanaUrl: targets.grafanaUrl,
        frontendUrl: targets.services.frontend,
      })
    : () => {};
  const close = async () => {
    stopSending();
    await preview.stop();
    await connected.close();
  };
  try {
    const intervalMs = Math.min(...groups.map((group) => group.intervalSeconds)) * 1000;
    const first = preview.evaluateAt(Math.floor(Date.now() / intervalMs) * intervalMs);
    first.catch(() => {}); // after a timeout, its late failure is of no interest
    // An unreachable database would otherwise hold every command for its 30 s connect timeout.
    await Promise.race([
      first,
      sleep(firstEvaluationTimeoutMs, undefined, { ref: false }).then(() => {
        throw new Error(
          `its first evaluation took over ${firstEvaluationTimeoutMs / 1000} s (are Prometheus at ${targets.prometheusUrl} and PostgreSQL reachable?)`,
        );
      }),
    ]);
    preview.start();
  } catch (error) {
    await close();
    throw error;
  }
  return { source: preview, close };
};
