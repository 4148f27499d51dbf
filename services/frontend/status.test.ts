import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createKit, type ServiceKit } from '../kit/index.ts';
import { createApiClient } from './api-client.ts';
import { createFrontendApp } from './app.ts';
import { IncidentStore } from './incidents.ts';
import { frontendSettingsFrom } from './settings.ts';
import { StatusStream } from './status-stream.ts';

const secret = 'webhook-secret-for-tests';
const adminToken = 'admin-token-for-tests';
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const firingBody = fixture('webhook-firing.json');
const resolvedBody = fixture('webhook-resolved.json');
const alertmanagerBody = fixture('alertmanager-webhook-firing.json');

const kits: ServiceKit[] = [];
afterEach(async () => {
  await Promise.all(kits.splice(0).map((kit) => kit.close()));
});

// The api is never called by these routes; a closed port makes any accidental call fail loudly.
function frontend(env: Record<string, string> = { ALERT_WEBHOOK_SECRET: secret }) {
  const kit = createKit(frontendSettingsFrom({ LOG_LEVEL: 'fatal', ADMIN_TOKEN: adminToken, ...env }));
  kits.push(kit);
  const incidents = new IncidentStore();
  const statusStream = new StatusStream(incidents, { heartbeatMs: 50 });
  const app = createFrontendApp(kit, { api: createApiClient('http://127.0.0.1:9'), incidents, statusStream });
  const postWebhook = (body: string, headers: Record<string, string> = { 'x-webhook-secret': secret }) =>
    app.request('/api/alerts/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  return { kit, app, incidents, statusStream, postWebhook };
}

async function errorOf(res: Response) {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

describe('POST /api/alerts/webhook', () => {
  it('accepts the firing fixture and lists both incidents as open', async () => {
    const { app, postWebhook } = frontend();
    const res = await postWebhook(firingBody);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 2, open: 2 });
    const { incidents } = (await (await app.request('/api/incidents')).json()) as {
      incidents: Array<Record<string, unknown>>;
    };
    expect(incidents.map((i) => [i.fingerprint, i.service, i.status, i.severity])).toEqual([
      ['a41c8e2f6b9d0375', 'frontend', 'firing', 'critical'],
      ['7d3f0c2a9b1e4c56', 'api', 'firing', 'critical'],
    ]);
  });

  it('accepts a notification carrying many alerts, over the usual 64 KB body limit', async () => {
    const { postWebhook } = frontend();
    const notification = JSON.parse(firingBody) as { alerts: Array<{ fingerprint: string }> };
    const template = notification.alerts[0]!;
    notification.alerts = Array.from({ length: 60 }, (_, i) => ({ ...template, fingerprint: `fp${i}` }));
    const body = JSON.stringify(notification);
    expect(body.length).toBeGreaterThan(64 * 1024);
    const res = await postWebhook(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 60, open: 60 });
  });

  it('accepts the resolved fixture and shows it as resolved', async () => {
    const { app, postWebhook } = frontend();
    expect((await postWebhook(resolvedBody)).status).toBe(200);
    const body = (await (await app.request('/api/incidents')).json()) as {
      incidents: Array<{ status: string }>;
    };
    expect(body.incidents).toMatchObject([{ fingerprint: '3be70f19c2d84a6e', status: 'resolved' }]);
  });

  it('turns an open incident resolved when Grafana resolves the same fingerprint', async () => {
    const { incidents, postWebhook } = frontend();
    await postWebhook(firingBody);
    const resolvedApi = JSON.parse(firingBody);
    resolvedApi.status = 'resolved';
    resolvedApi.alerts = [{ ...resolvedApi.alerts[0], status: 'resolved', endsAt: '2026-11-22T10:30:00Z' }];
    expect((await postWebhook(JSON.stringify(resolvedApi))).status).toBe(200);
    expect(incidents.firing().map((i) => i.service)).toEqual(['frontend']);
    expect(incidents.list().find((i) => i.service === 'api')?.status).toBe('resolved');
  });

  it('ignores keys it does not know and tolerates null values', async () => {
    const { incidents, postWebhook } = frontend();
    const payload = JSON.parse(firingBody);
    payload.appVersion = '12.3.0';
    payload.alerts[0].ruleUID = 'high-error-rate';
    payload.alerts[0].enrichments = { anything: [1, 2] };
    payload.alerts[0].values = null;
    expect((await postWebhook(JSON.stringify(payload))).status).toBe(200);
    expect(incidents.list().find((i) => i.service === 'api')?.value).toBeUndefined();
  });

  it.each([
    ['no header', {}],
    ['a wrong secret', { 'x-webhook-secret': 'not-the-secret' }],
    ['a secret of another length', { 'x-webhook-secret': `${secret}x` }],
  ])('answers 401 to %s and changes nothing', async (_, headers) => {
    const { incidents, postWebhook } = frontend();
    const res = await postWebhook(firingBody, headers);
    expect(res.status).toBe(401);
    expect(await errorOf(res)).toMatchObject({ code: 'unauthorized' });
    expect(incidents.list()).toEqual([]);
  });

  it('records which receiver was told, and the title its templates produced', async () => {
    const { app, postWebhook } = frontend();
    const asReceiver = (receiver: string) => JSON.stringify({ ...JSON.parse(firingBody), receiver });
    expect((await postWebhook(asReceiver('on-call'))).status).toBe(200);
    expect((await postWebhook(asReceiver('shop-team'))).status).toBe(200);
    const { incidents } = (await (await app.request('/api/incidents')).json()) as {
      incidents: { service: string; notices: { receiver: string; status: string; title: string }[] }[];
    };
    const title = (JSON.parse(firingBody) as { title: string }).title;
    expect(incidents.find((i) => i.service === 'api')?.notices).toMatchObject([
      { receiver: 'on-call', status: 'firing', title },
      { receiver: 'shop-team', status: 'firing', title },
    ]);
    const page = await (await app.request('/status')).text();
    expect(page).toContain('data-receiver="on-call"');
    expect(page).toContain('<strong>shop-team</strong> told it fires');
  });

  it('says when a receiver is told again of the same episode (its group notified again)', async () => {
    const { app, postWebhook } = frontend();
    const asShopTeam = JSON.stringify({ ...JSON.parse(firingBody), receiver: 'shop-team' });
    expect((await postWebhook(asShopTeam)).status).toBe(200);
    expect((await postWebhook(asShopTeam)).status).toBe(200);
    const { incidents } = (await (await app.request('/api/incidents')).json()) as {
      incidents: { service: string; since: string; notices: { since: string }[] }[];
    };
    const api = incidents.find((i) => i.service === 'api')!;
    expect(api.notices.map((notice) => notice.since)).toEqual([api.since, api.since]);
    const page = await (await app.request('/status')).text();
    expect(page).toContain('<strong>shop-team</strong> told it fires');
    expect(page).toContain('<strong>shop-team</strong> told again it fires (its group’s notification)');
  });

  it("accepts upstream Alertmanager's webhook: Bearer secret, no title, the value from __values__", async () => {
    const { incidents, postWebhook } = frontend();
    const res = await postWebhook(alertmanagerBody, { authorization: `Bearer ${secret}` });
    expect(res.status).toBe(200);
    expect(incidents.list()).toMatchObject([
      {
        alertName: 'High error rate',
        service: 'payment',
        value: 'B = 0.4213',
        panelUrl: '',
        notices: [{ receiver: 'on-call', status: 'firing', title: '' }],
      },
    ]);
  });

  it('accepts the secret as a bearer token too (Grafana authorization settings)', async () => {
    const { postWebhook } = frontend();
    expect((await postWebhook(firingBody, { authorization: `Bearer ${secret}` })).status).toBe(200);
  });

  it('stays closed with a clear 401 when ALERT_WEBHOOK_SECRET is unset', async () => {
    const { postWebhook } = frontend({});
    const res = await postWebhook(firingBody, { 'x-webhook-secret': '' });
    expect(res.status).toBe(401);
    expect(await errorOf(res)).toMatchObject({ code: 'webhook_disabled' });
  });

  // JSON.parse's result: the cases below corrupt arbitrary nested fields of the fixture.
  const broken = (change: (payload: ReturnType<typeof JSON.parse>) => void) => {
    const payload = JSON.parse(firingBody);
    change(payload);
    return JSON.stringify(payload);
  };
  it.each([
    ['an unknown status', broken((p) => (p.status = 'exploding')), 'status'],
    ['no receiver', broken((p) => delete p.receiver), 'receiver'],
    ['alerts missing', broken((p) => delete p.alerts), 'alerts'],
    ['an alert without fingerprint', broken((p) => delete p.alerts[0].fingerprint), 'alerts.0.fingerprint'],
    [
      'an alert without alertname',
      broken((p) => delete p.alerts[1].labels.alertname),
      'alerts.1.labels.alertname',
    ],
    ['a startsAt that is no time', broken((p) => (p.alerts[0].startsAt = 'yesterday')), 'alerts.0.startsAt'],
    ['a value that is a string', broken((p) => (p.alerts[0].values.B = 'high')), 'alerts.0.values.B'],
    ['a JSON array', '[]', 'expected object'],
  ])('answers 400 naming the problem for %s', async (_, body, named) => {
    const { incidents, postWebhook } = frontend();
    const res = await postWebhook(body);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('invalid_body');
    expect(error.message).toContain(named);
    expect(incidents.list()).toEqual([]);
  });

  it('answers 400 to malformed JSON and 415 to other content types', async () => {
    const { app, postWebhook } = frontend();
    expect((await postWebhook('{"status": "firing",')).status).toBe(400);
    const res = await app.request('/api/alerts/webhook', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-webhook-secret': secret },
      body: firingBody,
    });
    expect(res.status).toBe(415);
  });

  it('keeps working while the error-rate fault fails every page', async () => {
    const { app, postWebhook } = frontend();
    const faults = await app.request('/admin/faults', {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1 }),
    });
    expect(faults.status).toBe(200);
    expect((await postWebhook(firingBody)).status).toBe(200);
    expect((await app.request('/status')).status).toBe(200);
    const page = await app.request('/', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(500);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('exports incidents_open and clears incidents through the admin reset', async () => {
    const { app, postWebhook } = frontend();
    await postWebhook(firingBody);
    expect(await (await app.request('/metrics')).text()).toMatch(/^incidents_open\{service="frontend"\} 2$/m);
    expect((await app.request('/admin/incidents/reset', { method: 'POST' })).status).toBe(401);
    const reset = await app.request('/admin/incidents/reset', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(reset.status).toBe(200);
    expect(await reset.json()).toEqual({ cleared: { open: 2, resolved: 0 } });
    expect(await (await app.request('/metrics')).text()).toMatch(/^incidents_open\{service="frontend"\} 0$/m);
    await postWebhook(firingBody);
    await postWebhook(resolvedBody);
    const again = await app.request('/admin/incidents/reset', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(await again.json()).toEqual({ cleared: { open: 2, resolved: 1 } });
  });
});

describe('status page', () => {
  it('renders incidents server-side with severity classes, and resolved ones in green', async () => {
    const { app, postWebhook } = frontend();
    await postWebhook(firingBody);
    await postWebhook(resolvedBody);
    const html = await (await app.request('/status')).text();
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('class="incident sev-critical" data-fingerprint="7d3f0c2a9b1e4c56"');
    expect(html).toContain('class="incident sev-resolved" data-fingerprint="3be70f19c2d84a6e"');
    expect(html).toContain('Error rate above 5% on api');
    expect(html).toContain('2026-11-22 10:15:20 UTC');
    expect(html).toContain('B = 0.1842');
    expect(html).toContain('2 incidents in progress');
  });

  it("links each incident to its rule's panel in Grafana, where the exemplars open the traces", async () => {
    const { app, postWebhook } = frontend();
    await postWebhook(firingBody);
    const html = await (await app.request('/status')).text();
    const panelUrl = (JSON.parse(firingBody) as { alerts: { panelURL: string }[] }).alerts[0]!.panelURL;
    expect(panelUrl).toContain('viewPanel=');
    expect(html).toContain(`<a href="${panelUrl.replaceAll('&', '&amp;')}">Open the panel in Grafana`);
    expect(html).toContain('the alert rule</a>');
  });

  it('makes no link of a webhook URL that is not a web address', async () => {
    const { app, postWebhook } = frontend();
    const body = JSON.parse(firingBody) as { alerts: Record<string, unknown>[] };
    for (const alert of body.alerts)
      Object.assign(alert, { panelURL: 'javascript:alert(1)', generatorURL: '' });
    expect((await postWebhook(JSON.stringify(body))).status).toBe(200);
    const html = await (await app.request('/status')).text();
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('class="incident-links"');
  });

  it('says all is well when nothing fires', async () => {
    const { app } = frontend();
    const html = await (await app.request('/status')).text();
    expect(html).toContain('All systems operational');
    expect(html).not.toContain('role="alert"');
  });

  it('serves the banner fragment that shop pages poll', async () => {
    const { app, postWebhook } = frontend();
    expect(await (await app.request('/status/banner')).text()).toBe('');
    await postWebhook(firingBody);
    expect(await (await app.request('/status/banner')).text()).toContain('High error rate (api)');
  });
});

describe('GET /status/events', () => {
  async function nextEvent(reader: ReadableStreamDefaultReader<Uint8Array>, buffer: { text: string }) {
    const decoder = new TextDecoder();
    for (;;) {
      const end = buffer.text.indexOf('\n\n');
      if (end >= 0) {
        const event = buffer.text.slice(0, end);
        buffer.text = buffer.text.slice(end + 2);
        return event;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffer.text += decoder.decode(value, { stream: true });
    }
  }
  const dataOf = (event: string) =>
    JSON.parse(
      event
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n'),
    ) as { banner: string; list: string };

  it('sends a snapshot, then every change, heartbeats in between, and forgets the client on disconnect', async () => {
    const { app, statusStream, postWebhook } = frontend();
    const res = await app.request('/status/events');
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const buffer = { text: '' };
    const first = await nextEvent(reader, buffer);
    expect(first).toMatch(/^event: incidents\n/);
    expect(first).toContain('retry: 2000');
    expect(dataOf(first).list).toContain('All systems operational');
    expect(statusStream.clients).toBe(1);

    await postWebhook(firingBody);
    let event = await nextEvent(reader, buffer);
    while (event.startsWith(': heartbeat')) event = await nextEvent(reader, buffer);
    expect(dataOf(event).list).toContain('data-fingerprint="7d3f0c2a9b1e4c56"');
    expect(dataOf(event).banner).toContain('2 incidents in progress');
    expect(await nextEvent(reader, buffer)).toBe(': heartbeat');

    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(statusStream.clients).toBe(0);
  });

  it('ends every stream when the service shuts down', async () => {
    const { app, statusStream } = frontend();
    const res = await app.request('/status/events');
    const reader = res.body!.getReader();
    await reader.read();
    statusStream.endAll();
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(statusStream.clients).toBe(0);
  });

  it('refuses listeners beyond its limit with 503', async () => {
    const kit = createKit(frontendSettingsFrom({ LOG_LEVEL: 'fatal' }));
    kits.push(kit);
    const incidents = new IncidentStore();
    const statusStream = new StatusStream(incidents, { maxClients: 1 });
    const app = createFrontendApp(kit, {
      api: createApiClient('http://127.0.0.1:9'),
      incidents,
      statusStream,
    });
    const first = await app.request('/status/events');
    const second = await app.request('/status/events');
    expect(second.status).toBe(503);
    await first.body!.cancel();
  });

  it('limits listeners per address, so one client cannot take every slot', async () => {
    const kit = createKit(frontendSettingsFrom({ LOG_LEVEL: 'fatal' }));
    kits.push(kit);
    const incidents = new IncidentStore();
    const statusStream = new StatusStream(incidents, { maxClients: 5, maxPerClient: 2 });
    const app = createFrontendApp(kit, {
      api: createApiClient('http://127.0.0.1:9'),
      incidents,
      statusStream,
    });
    // What @hono/node-server hands the app: the request's socket.
    const from = (remoteAddress: string) =>
      app.request('/status/events', {}, { incoming: { socket: { remoteAddress } } });

    const greedy = await Promise.all([
      from('10.0.0.1'),
      from('10.0.0.1'),
      from('10.0.0.1'),
      from('10.0.0.1'),
    ]);
    expect(greedy.map((r) => r.status)).toEqual([200, 200, 429, 429]);
    expect(((await greedy[2]!.json()) as { error: { code: string } }).error.code).toBe(
      'too_many_listeners_from_client',
    );
    const others = await Promise.all([from('10.0.0.2'), from('10.0.0.3')]);
    expect(others.map((r) => r.status)).toEqual([200, 200]);

    // A slot given back can be taken again.
    await greedy[0]!.body!.cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await from('10.0.0.1');
    expect(again.status).toBe(200);
    await Promise.all([greedy[1]!, ...others, again].map((r) => r.body!.cancel()));
  });
});
