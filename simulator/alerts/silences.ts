// Silences the simulator makes: one alert rule (by Grafana's __alert_rule_uid__ label, which both
// Grafana's Alertmanager and the preview's posts carry), optionally narrowed by label=value matchers.
import { alertByUid, alertCatalog } from '../../domain/alerts.ts';
import { parseDurationSeconds } from '../../domain/durations.ts';
import { UsageError } from '../errors.ts';
import type { AlertmanagerClient, Matcher, NewSilence, Silence } from '../clients/alertmanager-client.ts';

/** Silences carrying this as createdBy are the simulator's: `reset` and `unsilence --all` expire them. */
export const silenceAuthor = 'shopfast-sim';
export const ruleUidLabel = '__alert_rule_uid__';
/** A silence for a talk or a training, not for forgetting: at most a day. */
export const longestSilenceSeconds = 24 * 3600;

export interface SilenceRequest {
  alert: string;
  /** label=value pairs, as typed. */
  match?: string[];
  /** A Prometheus-style duration: 90s, 10m, 1h30m. */
  for: string;
  comment?: string;
}

/** The silence to create, or a usage error saying what is wrong (nothing is created then). */
export function silenceFor(request: SilenceRequest, nowMs: number): NewSilence {
  if (!alertByUid(request.alert)) {
    throw new UsageError(
      `unknown alert "${request.alert}": one of ${alertCatalog.map((alert) => alert.uid).join(', ')}`,
    );
  }
  const seconds = parseDurationSeconds(request.for);
  if (seconds === undefined || seconds <= 0)
    throw new UsageError(`--for ${request.for}: a duration such as 90s, 10m or 1h30m`);
  if (seconds > longestSilenceSeconds) throw new UsageError(`--for ${request.for}: at most 24h`);
  const matchers: Matcher[] = [
    equal(ruleUidLabel, request.alert),
    ...(request.match ?? []).map(parseMatcher),
  ];
  return {
    matchers,
    startsAt: new Date(nowMs).toISOString(),
    endsAt: new Date(nowMs + seconds * 1000).toISOString(),
    createdBy: silenceAuthor,
    comment: request.comment ?? `shopfast-sim silence ${request.alert}`,
  };
}

function equal(name: string, value: string): Matcher {
  return { name, value, isRegex: false, isEqual: true };
}

/** `service=payment` → an equality matcher; anything else is a usage error. */
export function parseMatcher(text: string): Matcher {
  const at = text.indexOf('=');
  const name = text.slice(0, at).trim();
  const value = text.slice(at + 1).trim();
  if (at < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || value === '')
    throw new UsageError(`--match ${text}: expected label=value, e.g. --match service=payment`);
  return equal(name, value);
}

/** A silence's matchers as one line: `high-cpu, service=payment` (the rule uid by its name). */
export function describeMatchers(silence: Pick<Silence, 'matchers'>): string {
  return silence.matchers
    .map((m) =>
      m.name === ruleUidLabel && m.isEqual && !m.isRegex
        ? m.value
        : `${m.name}${m.isEqual ? '' : '!'}${m.isRegex ? '=~' : '='}${m.value}`,
    )
    .join(', ');
}

/** The active silences, soonest to end first. */
export async function activeSilences(alertmanager: AlertmanagerClient): Promise<Silence[]> {
  return (await alertmanager.silences())
    .filter((silence) => silence.state === 'active')
    .sort((a, b) => Date.parse(a.endsAt) - Date.parse(b.endsAt));
}

/** Expires the active silences the simulator made; returns how many. */
export async function expireOwnSilences(alertmanager: AlertmanagerClient): Promise<number> {
  const own = (await activeSilences(alertmanager)).filter((silence) => silence.createdBy === silenceAuthor);
  for (const silence of own) await alertmanager.expireSilence(silence.id);
  return own.length;
}
