// The rule preview's alert instances, posted to a real Alertmanager as Grafana's ruler posts them
// to its own (pkg/services/ngalert/state: compat.go StateToPostableAlert, state.go NeedsSending and
// nextEndsTime; facts in GRAFANA-NOTIFICATIONS.md): so routing, grouping, silences, mute timings
// and the status page work on the native stack with an Alertmanager deciding, not the simulator.
import { alertByUid } from '../../domain/alerts.ts';
import type { PostableAlert } from '../clients/alertmanager-client.ts';
import type { AlertInstance } from './instance-states.ts';
import type { PreviewRule } from './rule-document.ts';
import type { RuleEvaluationEvent } from './rule-preview.ts';
import { expandTemplate } from './label-template.ts';
import { labelsKey } from './values.ts';

/** state/manager.go ResendDelay: an active alert is re-posted every 30 s at most. */
export const resendDelayMs = 30_000;
/** [unified_alerting] resolved_alert_retention default: resolved alerts are re-posted for 15 min. */
export const resolvedRetentionMs = 15 * 60_000;

export interface AlertSenderOptions {
  post(alerts: PostableAlert[]): Promise<void>;
  /** The rule group's folder: Grafana's `grafana_folder` label. */
  folder: string;
  intervalSeconds: number;
  /** Where generatorURL and runbook links point (Grafana's and the shop's). */
  grafanaUrl: string;
  frontendUrl: string;
  /** Called when a post fails (the Alertmanager is down); sending goes on at the next evaluation. */
  onError?(error: unknown): void;
}

/** What the sender reads of the preview. */
export interface PreviewInstances {
  rules(): PreviewRule[];
  instances(uid: string): AlertInstance[];
  onEvaluation(listener: (event: RuleEvaluationEvent) => void): () => void;
}

interface Sent {
  uid: string;
  alert: PostableAlert;
  lastSentMs: number;
  resolvedAtMs?: number;
}

const activeStates = new Set(['Alerting', 'Recovering', 'NoData', 'Error']);

/** Posts the preview's alerts after each evaluation; returns a function that stops it. */
export function sendPreviewAlerts(preview: PreviewInstances, options: AlertSenderOptions): () => void {
  const sent = new Map<string, Sent>();
  const rules = new Map(preview.rules().map((rule) => [rule.uid, rule]));
  const endsAfterMs = 4 * Math.max(resendDelayMs, options.intervalSeconds * 1000);

  return preview.onEvaluation(({ uid, atMs }) => {
    const rule = rules.get(uid);
    if (!rule) return;
    const batch: PostableAlert[] = [];
    const activeNow = new Set<string>();
    for (const instance of preview.instances(uid)) {
      if (!activeStates.has(instance.state)) continue;
      const alert = postable(rule, instance, options, new Date(atMs + endsAfterMs).toISOString());
      const key = labelsKey(alert.labels);
      activeNow.add(key);
      const previous = sent.get(key);
      if (previous && previous.resolvedAtMs === undefined && atMs - previous.lastSentMs < resendDelayMs)
        continue;
      sent.set(key, { uid, alert, lastSentMs: atMs });
      batch.push(alert);
    }
    for (const [key, entry] of sent) {
      if (entry.uid !== uid || activeNow.has(key)) continue;
      if (entry.resolvedAtMs === undefined) {
        // Newly resolved: always posted, with endsAt = the evaluation, under the labels it fired with.
        entry.resolvedAtMs = atMs;
        entry.alert = { ...entry.alert, endsAt: new Date(atMs).toISOString() };
      } else if (atMs - entry.resolvedAtMs > resolvedRetentionMs) {
        sent.delete(key);
        continue;
      } else if (atMs - entry.lastSentMs < resendDelayMs) continue;
      entry.lastSentMs = atMs;
      batch.push(entry.alert);
    }
    if (batch.length > 0) options.post(batch).catch((error: unknown) => options.onError?.(error));
  });
}

/** compat.go StateToPostableAlert: labels with Grafana's reserved ones, annotations, times. */
export function postable(
  rule: PreviewRule,
  instance: AlertInstance,
  options: Pick<AlertSenderOptions, 'folder' | 'grafanaUrl' | 'frontendUrl'>,
  endsAt: string,
): PostableAlert {
  const labels: Record<string, string> = {
    ...instance.labels,
    alertname: rule.title,
    grafana_folder: options.folder,
    __alert_rule_uid__: rule.uid,
  };
  // NoData and Error are posted as their own alerts; the rule's name moves to `rulename`.
  if (instance.state === 'NoData' || instance.state === 'Error') {
    labels.alertname = instance.state === 'NoData' ? 'DatasourceNoData' : 'DatasourceError';
    labels.rulename = rule.title;
  }
  const annotations: Record<string, string> = {};
  for (const [name, template] of Object.entries(rule.annotations))
    annotations[name] = expandAnnotation(template, instance);
  // Grafana expands runbook_url against its own URL; without Grafana it is the shop's /docs page.
  const anchor = alertByUid(rule.uid)?.runbookAnchor;
  if (anchor) annotations.runbook_url = `${options.frontendUrl}/docs/TROUBLESHOOTING.md#${anchor}`;
  if (instance.value !== undefined && instance.value !== null)
    annotations.__value_string__ = `[ value=${instance.value} ]`;
  if (instance.reason) annotations.grafana_state_reason = instance.reason;
  if (instance.error) annotations.Error = instance.error;
  return {
    labels,
    annotations,
    startsAt: new Date(instance.sinceMs).toISOString(),
    endsAt,
    generatorURL: `${options.grafanaUrl}/alerting/grafana/${rule.uid}/view`,
  };
}

const humanizeValue = /\{\{-?\s*humanize \$values\.[A-Za-z0-9_]+\.Value\s*-?\}\}/g;

/** The annotation's label references and `humanize $values.X.Value` (the value the threshold compared). */
function expandAnnotation(template: string, instance: AlertInstance): string {
  const withValue = template.replace(humanizeValue, () =>
    typeof instance.value === 'number' ? humanize(instance.value) : '[no value]',
  );
  return expandTemplate(withValue, instance.labels);
}

/** Prometheus's template function humanize: SI prefixes and four significant digits (0.93 → 930m). */
export function humanize(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const up = ['', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
  const down = ['', 'm', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];
  let scaled = value;
  let prefix = '';
  if (Math.abs(value) >= 1) {
    let i = 0;
    while (Math.abs(scaled) >= 1000 && i < up.length - 1) [scaled, i] = [scaled / 1000, i + 1];
    prefix = up[i]!;
  } else {
    let i = 0;
    while (Math.abs(scaled) < 1 && i < down.length - 1) [scaled, i] = [scaled * 1000, i + 1];
    prefix = down[i]!;
  }
  return `${Number(scaled.toPrecision(4))}${prefix}`;
}
