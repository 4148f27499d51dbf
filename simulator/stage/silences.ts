import { ruleGroup, type AlertDefinition } from '../../domain/alerts.ts';
import type { AlertmanagerClient, Silence, SilenceMatcher } from './alertmanager.ts';
import { StageRefusal } from './refusal.ts';

/** Silences the simulator makes carry its name, so that reset can find and expire them. */
export const silenceAuthor = 'shopfast-sim';

const equals = (name: string, value: string): SilenceMatcher => ({
  name,
  value,
  isRegex: false,
  isEqual: true,
});

/** The matchers of a silence for every instance of the rule (its alert name in the ShopFast folder). */
export function ruleMatchers(alert: AlertDefinition): SilenceMatcher[] {
  return [equals('alertname', alert.title), equals('grafana_folder', ruleGroup.folder)];
}

const silencesRule = (silence: Silence, alert: AlertDefinition) =>
  silence.matchers.some((m) => m.name === 'alertname' && m.value === alert.title && !m.isRegex);

/** Silence and unsilence a rule's notifications in the Alertmanager that holds them. */
export class StageSilences {
  constructor(
    private readonly alertmanager: AlertmanagerClient | null,
    /** Why there is none, for the refusal. */
    private readonly unavailable: string,
  ) {}

  private client(): AlertmanagerClient {
    if (!this.alertmanager)
      throw new StageRefusal(409, 'no_alertmanager', `silences need an Alertmanager: ${this.unavailable}`);
    return this.alertmanager;
  }

  /** Silences every instance of the rule for `minutes`; returns the silence's id. */
  async silence(alert: AlertDefinition, minutes: number, nowMs = Date.now()): Promise<string> {
    return this.client().createSilence({
      matchers: ruleMatchers(alert),
      startsAt: new Date(nowMs).toISOString(),
      endsAt: new Date(nowMs + minutes * 60_000).toISOString(),
      createdBy: silenceAuthor,
      comment: `silenced from the stage console for ${minutes} min`,
    });
  }

  /** Expires the simulator's silences of the rule; returns their ids (none: nothing to lift). */
  async unsilence(alert: AlertDefinition): Promise<string[]> {
    const client = this.client();
    const ours = (await client.silences()).filter(
      (s) => s.createdBy === silenceAuthor && silencesRule(s, alert),
    );
    for (const silence of ours) await client.expireSilence(silence.id);
    return ours.map((s) => s.id);
  }

  /** Expires these silences (those already gone are skipped); returns how many it expired. */
  async expire(ids: readonly string[]): Promise<number> {
    if (!this.alertmanager || ids.length === 0) return 0;
    const live = new Set((await this.alertmanager.silences()).map((s) => s.id));
    const expiring = ids.filter((id) => live.has(id));
    for (const id of expiring) await this.alertmanager.expireSilence(id);
    return expiring.length;
  }

  /** Expires every silence the simulator made (reset); returns how many. */
  async expireAll(): Promise<number> {
    if (!this.alertmanager) return 0;
    const ours = (await this.alertmanager.silences()).filter((s) => s.createdBy === silenceAuthor);
    for (const silence of ours) await this.alertmanager.expireSilence(silence.id);
    return ours.length;
  }
}
