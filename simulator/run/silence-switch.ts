import { silenceFor } from '../alerts/silences.ts';
import type { AlertmanagerClient } from '../clients/alertmanager-client.ts';

/** How long past its phase a scenario's silence is set to live, should the simulator die mid-phase. */
const silenceSlackSeconds = 30;

/**
 * The silence a phase asks for: set when the phase starts (for its length and a little more, so a
 * simulator killed mid-phase leaves nothing for long), lifted when a phase without it starts and at
 * the end of the run, Ctrl-C included — the scenario's silences, like its faults, are undone.
 */
export class SilenceSwitch {
  private active: { alert: string; id: string } | undefined;

  constructor(
    private readonly alertmanager: Pick<AlertmanagerClient, 'createSilence' | 'expireSilence'>,
    private readonly now: () => number = Date.now,
  ) {}

  get current(): string | undefined {
    return this.active?.alert;
  }

  async applyPhase(silence: { alert: string } | undefined, phaseSeconds: number): Promise<void> {
    if (this.active && this.active.alert === silence?.alert) return;
    await this.undoAll();
    if (!silence) return;
    const request = {
      alert: silence.alert,
      for: `${Math.ceil(phaseSeconds) + silenceSlackSeconds}s`,
      comment: 'set by a shopfast-sim scenario for one phase',
    };
    this.active = {
      alert: silence.alert,
      id: await this.alertmanager.createSilence(silenceFor(request, this.now())),
    };
  }

  async undoAll(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    if (active) await this.alertmanager.expireSilence(active.id);
  }
}
