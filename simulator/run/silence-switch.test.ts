import { describe, expect, it } from 'vitest';
import type { NewSilence } from '../clients/alertmanager-client.ts';
import { SilenceSwitch } from './silence-switch.ts';

function fakeAlertmanager() {
  const created: NewSilence[] = [];
  const expired: string[] = [];
  return {
    created,
    expired,
    createSilence: (silence: NewSilence) => Promise.resolve(`s${created.push(silence)}`),
    expireSilence: (id: string) => Promise.resolve(void expired.push(id)),
  };
}

const now = Date.parse('2026-12-07T12:00:00Z');

describe('SilenceSwitch', () => {
  it("sets a phase's silence for the phase and 30 s more, keeps it across phases that keep it, lifts it after", async () => {
    const alertmanager = fakeAlertmanager();
    const silences = new SilenceSwitch(alertmanager, () => now);
    await silences.applyPhase(undefined, 5);
    expect(alertmanager.created).toEqual([]);
    await silences.applyPhase({ alert: 'failed-logins' }, 40);
    expect(alertmanager.created).toHaveLength(1);
    expect(alertmanager.created[0]).toMatchObject({
      matchers: [{ name: '__alert_rule_uid__', value: 'failed-logins' }],
      endsAt: new Date(now + 70_000).toISOString(),
      createdBy: 'shopfast-sim',
    });
    await silences.applyPhase({ alert: 'failed-logins' }, 10);
    expect(alertmanager.created).toHaveLength(1);
    expect(silences.current).toBe('failed-logins');
    await silences.applyPhase(undefined, 25);
    expect(alertmanager.expired).toEqual(['s1']);
    expect(silences.current).toBeUndefined();
  });

  it('lifts what it set when the run ends early, and only once', async () => {
    const alertmanager = fakeAlertmanager();
    const silences = new SilenceSwitch(alertmanager, () => now);
    await silences.applyPhase({ alert: 'high-cpu' }, 40);
    await silences.undoAll();
    await silences.undoAll();
    expect(alertmanager.expired).toEqual(['s1']);
  });
});
