import { describe, expect, it } from 'vitest';
import { alertByUid } from '../../domain/alerts.ts';
import { silenceFor } from '../alerts/silences.ts';
import type { HeldAlert, Silence } from '../clients/alertmanager-client.ts';
import { nothingKnown } from './cards.ts';
import { incidentIsFor, notificationInfo, toldBy, type Incident } from './notifications.ts';

const errorRate = alertByUid('high-error-rate')!;
const failedLogins = alertByUid('failed-logins')!;
const lowInventory = alertByUid('low-inventory')!;

const incident = (change: Partial<Incident>): Incident => ({
  alertName: 'High error rate',
  service: 'api',
  status: 'firing',
  notices: [],
  ...change,
});

function silence(alert: string, match: string[] = []): Silence {
  return { ...silenceFor({ alert, for: '10m', match }, Date.now()), id: `s-${alert}`, state: 'active' };
}

const held = (change: Partial<HeldAlert>): HeldAlert => ({
  labels: { alertname: 'Failed logins' },
  fingerprint: 'f1',
  startsAt: '2026-12-01T10:00:00Z',
  endsAt: '2026-12-01T10:04:00Z',
  state: 'active',
  silencedBy: [],
  receivers: ['on-call', 'shop-team'],
  ...change,
});

describe('which incident is an instance’s', () => {
  it('matches the rule by title and the instance by its service, or by the labels when given', () => {
    expect(incidentIsFor(incident({}), errorRate, { service: 'api' })).toBe(true);
    expect(incidentIsFor(incident({}), errorRate, { service: 'payment' })).toBe(false);
    expect(incidentIsFor(incident({ alertName: 'Failed logins' }), failedLogins, {})).toBe(true);
    // The status page does not say the sku unless it records the labels.
    const stock = incident({ alertName: 'Low inventory', service: 'inventory' });
    expect(incidentIsFor(stock, lowInventory, { sku: 'SF-1004' })).toBe(false);
    expect(incidentIsFor({ ...stock, labels: { sku: 'SF-1004' } }, lowInventory, { sku: 'SF-1004' })).toBe(
      true,
    );
  });

  it('names the receivers its firing notifications told and when the latest arrived', () => {
    expect(
      toldBy(
        incident({
          notices: [
            { receiver: 'on-call', status: 'firing', at: '2026-12-01T10:00:05Z' },
            { receiver: 'shop-team', status: 'firing', at: '2026-12-01T10:00:07Z' },
            { receiver: 'on-call', status: 'firing', at: '2026-12-01T10:00:06Z' },
            { receiver: 'shop-team', status: 'resolved', at: '2026-12-01T10:02:00Z' },
          ],
        }),
      ),
    ).toEqual({ receivers: ['on-call', 'shop-team'], atMs: Date.parse('2026-12-01T10:00:07Z') });
    // Kept from before the status page recorded receivers: it was told, by whom is not known.
    expect(toldBy(incident({}))).toEqual({ receivers: ['status page'], atMs: null });
  });
});

describe('notificationInfo', () => {
  it('knows nothing when nothing answered', () => {
    expect(notificationInfo({ incidents: null, alerts: null, silences: null }, failedLogins, {})).toEqual(
      nothingKnown,
    );
  });

  it('marks an instance silenced by a silence on its rule before it fires, and only that one', () => {
    const state = { incidents: [], alerts: [], silences: [silence('high-error-rate', ['service=payment'])] };
    expect(notificationInfo(state, errorRate, { service: 'payment' }).silenced).toBe(true);
    expect(notificationInfo(state, errorRate, { service: 'api' }).silenced).toBe(false);
    expect(notificationInfo(state, failedLogins, {}).silenced).toBe(false);
  });

  it('reads told, routed, silenced and muted from the status page and the Alertmanager', () => {
    const told = { incidents: [incident({ alertName: 'Failed logins', service: 'api' })], silences: [] };
    expect(notificationInfo({ ...told, alerts: [held({})] }, failedLogins, {})).toEqual({
      notified: { receivers: ['status page'], atMs: null },
      routedTo: ['on-call', 'shop-team'],
      silenced: false,
      muted: false,
    });
    const suppressed = { incidents: [], silences: [] };
    expect(
      notificationInfo(
        { ...suppressed, alerts: [held({ state: 'suppressed', silencedBy: ['s1'] })] },
        failedLogins,
        {},
      ),
    ).toMatchObject({ silenced: true, muted: false });
    expect(
      notificationInfo({ ...suppressed, alerts: [held({ state: 'suppressed' })] }, failedLogins, {}),
    ).toMatchObject({ silenced: false, muted: true });
  });
});
