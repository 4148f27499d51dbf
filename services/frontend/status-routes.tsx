import type { Hono } from 'hono';
import client from 'prom-client';
import { jsonBody, requireToken, type KitEnv, type ServiceKit } from '../kit/index.ts';
import type { FrontendSettings } from './settings.ts';
import { grafanaWebhookPayload } from './grafana-webhook.ts';
import type { IncidentArchive } from './incident-archive.ts';
import type { IncidentStore } from './incidents.ts';
import type { StatusStream } from './status-stream.ts';
import { IncidentBanner } from './views/incidents.tsx';
import { StatusPage } from './views/status-page.tsx';

/** Status page routes stay up under injected faults: they are how the audience sees the incident. */
export const statusPaths = /^\/(status|api\/alerts|api\/incidents)(\/|$)/;

export interface StatusDeps {
  incidents: IncidentStore;
  statusStream: StatusStream;
  archive: IncidentArchive | undefined;
  countStatusView: () => void;
}

export function addStatusRoutes(
  app: Hono<KitEnv>,
  kit: ServiceKit<FrontendSettings>,
  { incidents, statusStream, archive, countStatusView }: StatusDeps,
): void {
  new client.Gauge({
    name: 'incidents_open',
    help: 'Alerts Grafana reports as firing, as the status page shows them',
    registers: [kit.metrics.registry],
    collect() {
      this.set(incidents.firing().length);
    },
  });

  app.post(
    '/api/alerts/webhook',
    // Grafana's webhook contact points send the secret in `X-Webhook-Secret` (an extra header);
    // Alertmanager's webhooks as `Authorization: Bearer` (http_config, which Grafana has too).
    requireToken({
      token: kit.config.webhookSecret,
      ownHeader: 'X-Webhook-Secret',
      closedCode: 'webhook_disabled',
      closedMessage: 'ALERT_WEBHOOK_SECRET is not set on the frontend, so the alert webhook is closed',
      hint: 'Send the shared secret in the X-Webhook-Secret header',
    }),
    jsonBody(grafanaWebhookPayload),
    async (c) => {
      const payload = c.req.valid('json');
      incidents.apply(payload.alerts, { receiver: payload.receiver, title: payload.title });
      // Shown at once; stored before the answer, so a restart right after it still shows them
      // (the archive logs a failure and keeps trying).
      await archive?.save();
      const firing = payload.alerts.filter((a) => a.status === 'firing').length;
      c.get('logger').info(
        { receiver: payload.receiver, status: payload.status, alerts: payload.alerts.length, firing },
        'alert notification received',
      );
      return c.json({ accepted: payload.alerts.length, open: incidents.firing().length });
    },
  );

  app.get('/api/incidents', (c) => c.json({ incidents: incidents.list() }));

  // Behind the kit's admin token (/admin/*): `reset` starts the next demo from a clean status page.
  app.post('/admin/incidents/reset', async (c) => {
    const cleared = incidents.clear();
    await archive?.save();
    return c.json({ cleared });
  });

  app.get('/status', (c) => {
    countStatusView();
    return c.html(<StatusPage incidents={incidents.list()} />);
  });
  app.get('/status/events', (c) => statusStream.handle(c));
  app.get('/status/banner', (c) => c.html(<IncidentBanner firing={incidents.firing()} />));
}
