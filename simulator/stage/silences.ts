import type { AlertDefinition } from '../../domain/alerts.ts';
import {
  activeSilences,
  expireOwnSilences,
  ruleUidLabel,
  silenceAuthor,
  silenceFor,
} from '../alerts/silences.ts';
import type { AlertmanagerClient } from '../clients/alertmanager-client.ts';
import { StageRefusal } from './refusal.ts';

/**
 * Silence and unsilence a rule's notifications as `shopfast-sim silence` / `unsilence` do, in the
 * Alertmanager that holds them (Grafana's, else the native stack's).
 */
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
  async silence(alert: AlertDefinition, minutes: number): Promise<string> {
    const request = { alert: alert.uid, for: `${minutes}m`, comment: 'silenced from the stage console' };
    return this.client().createSilence(silenceFor(request, Date.now()));
  }

  /** Expires the simulator's silences of the rule; returns their ids (none: nothing to lift). */
  async unsilence(alert: AlertDefinition): Promise<string[]> {
    const client = this.client();
    const ours = (await activeSilences(client)).filter(
      (silence) =>
        silence.createdBy === silenceAuthor &&
        silence.matchers.some(
          (m) => m.name === ruleUidLabel && m.value === alert.uid && m.isEqual && !m.isRegex,
        ),
    );
    for (const silence of ours) await client.expireSilence(silence.id);
    return ours.map((silence) => silence.id);
  }

  /**
   * Expires the simulator's silences that began at or after `sinceMs` (a booth's, whether the page or
   * a scenario set them); returns how many.
   */
  async expireSince(sinceMs: number): Promise<number> {
    if (!this.alertmanager) return 0;
    const since = (await activeSilences(this.alertmanager)).filter(
      (silence) => silence.createdBy === silenceAuthor && Date.parse(silence.startsAt) >= sinceMs,
    );
    for (const silence of since) await this.alertmanager.expireSilence(silence.id);
    return since.length;
  }

  /** Expires every silence the simulator made (as reset does); returns how many. */
  async expireAll(): Promise<number> {
    return this.alertmanager ? expireOwnSilences(this.alertmanager) : 0;
  }
}
