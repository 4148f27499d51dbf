// The native stack's Alertmanager (Debian's prometheus-alertmanager, 0.25) with the notification
// design: alerts posted to its v2 API as Grafana's ruler posts them reach the status page from the
// receivers the design names, firing and then resolved.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { alertCatalog } from '../domain/alerts.ts';
import { groupIntervalSeconds, groupWaitSeconds, receiversFor } from '../grafana/src/notifications.ts';
import { alertInstanceLabels } from '../grafana/src/rules.ts';
import { adminHeaders } from './support/stack.ts';

const stack = inject('stack');

interface Notice {
  receiver: string;
  status: 'firing' | 'resolved';
}
interface Incident {
  summary: string;
  status: 'firing' | 'resolved';
  notices: Notice[];
}

/** Every instance the catalog expects, each with a summary that finds its incident on the page. */
const instances = alertCatalog.flatMap((alert) =>
  Object.values(alert.firesIn)
    .flat()
    .map((instance) => {
      const labels = alertInstanceLabels(alert, instance);
      return { labels, summary: `${alert.uid} ${JSON.stringify(instance)}`, receivers: receiversFor(labels) };
    }),
);

const startsAt = new Date().toISOString();

/** What Grafana's ruler posts: the instance's labels, its annotations, endsAt ahead or now. */
async function postAlerts(endsAt: Date): Promise<void> {
  const alerts = instances.map(({ labels, summary }) => ({
    labels,
    annotations: { summary, __values__: JSON.stringify({ B: 1, C: 1 }) },
    startsAt,
    endsAt: endsAt.toISOString(),
    generatorURL: 'http://localhost:3000/alerting/list',
  }));
  const res = await fetch(`${stack.alertmanagerUrl}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  expect(res.status, await res.text()).toBe(200);
}

async function incidents(): Promise<Incident[]> {
  const res = await fetch(`${stack.urls.frontend}/api/incidents`);
  return ((await res.json()) as { incidents: Incident[] }).incidents;
}

const receiversTold = (incident: Incident | undefined, status: Notice['status']): string[] =>
  (incident?.notices ?? [])
    .filter((notice) => notice.status === status)
    .map((notice) => notice.receiver)
    .sort();

/** Polls the status page until every instance has heard `status` from all its receivers; returns the seconds taken. */
async function untilEveryReceiverTold(status: Notice['status'], withinSeconds: number): Promise<number> {
  const started = Date.now();
  let missing: string[] = [];
  while (Date.now() - started < withinSeconds * 1000) {
    const page = await incidents();
    missing = instances
      .filter(({ summary, receivers }) => {
        const told = receiversTold(
          page.find((incident) => incident.summary === summary),
          status,
        );
        return told.join() !== [...receivers].sort().join();
      })
      .map(({ summary }) => summary);
    if (missing.length === 0) return (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not told ${status} within ${withinSeconds} s: ${missing.join('; ')}`);
}

async function resetStatusPage(): Promise<void> {
  const res = await fetch(`${stack.urls.frontend}/admin/incidents/reset`, {
    method: 'POST',
    headers: adminHeaders(stack),
  });
  expect(res.status).toBe(200);
}

describe('Alertmanager on the native stack', () => {
  beforeAll(resetStatusPage);
  afterAll(async () => {
    // Nothing left firing for the tests after this one.
    await postAlerts(new Date());
    await resetStatusPage();
  });

  it('runs, with the design as its configuration', async () => {
    expect(
      stack.alertmanagerUrl,
      'install prometheus-alertmanager (scripts/ensure-test-deps.sh)',
    ).not.toBeNull();
    const status = (await (await fetch(`${stack.alertmanagerUrl}/api/v2/status`)).json()) as {
      config: { original: string };
      versionInfo: { version: string };
    };
    expect(status.versionInfo.version).toMatch(/^0\.2\d\./);
    expect(status.config.original).toContain('receiver: on-call');
    expect(status.config.original).toContain(`${stack.urls.frontend}/api/alerts/webhook`);
  });

  it('tells the status page of every expected instance, from the receivers the design names', async () => {
    expect(instances.length).toBeGreaterThanOrEqual(alertCatalog.length);
    await postAlerts(new Date(Date.now() + 5 * 60_000));
    // group_wait, plus a margin for a loaded machine.
    const seconds = await untilEveryReceiverTold('firing', groupWaitSeconds + 10);
    console.log(`[alertmanager] every receiver told of ${instances.length} firing instances in ${seconds} s`);
    const page = await incidents();
    for (const { summary } of instances)
      expect(page.find((incident) => incident.summary === summary)?.status, summary).toBe('firing');
  });

  it('tells them of the resolve within one group interval', async () => {
    await postAlerts(new Date());
    const seconds = await untilEveryReceiverTold('resolved', groupIntervalSeconds + 10);
    console.log(`[alertmanager] every receiver told of the resolves in ${seconds} s`);
    const page = await incidents();
    for (const { summary } of instances)
      expect(page.find((incident) => incident.summary === summary)?.status, summary).toBe('resolved');
  });
});
