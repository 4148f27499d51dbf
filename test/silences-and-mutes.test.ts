// Keeping an alert quiet on the native stack, with the real Alertmanager deciding: a silence made by
// `shopfast-sim silence` suppresses exactly the alerts it matches and lifting it lets them through; a
// mute timing that covers the present holds back its route's notifications and no other's.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { alertByUid } from '../domain/alerts.ts';
import { deployWindow, groupIntervalSeconds, groupWaitSeconds } from '../grafana/src/notifications.ts';
import { alertInstanceLabels } from '../grafana/src/rules.ts';
import { cliEnv } from '../harness/cli-env.ts';
import { runCliInProcess } from '../harness/cli-in-process.ts';
import {
  findAlertmanagerBinary,
  runAlertmanager,
  waitForAlertmanager,
  writeAlertmanagerConfig,
  type RunningAlertmanager,
} from '../scripts/native/alertmanager.ts';
import { freePorts } from '../scripts/native/ports.ts';

const stack = inject('stack');
const run = (...args: string[]) =>
  runCliInProcess(args, cliEnv(stack, { ALERTMANAGER_URL: stack.alertmanagerUrl ?? undefined }));
/** Tells this file's alerts apart from every other test's on the shared status page. */
const marker = `quiet-${Date.now()}`;

interface Incident {
  summary: string;
  notices: { receiver: string; status: string }[];
}

type Posted = { uid: string; instance: Record<string, string> }[];

/** Posts one instance of each alert as Grafana's ruler would: firing for two more minutes, or resolved. */
async function post(alertmanagerUrl: string, alerts: Posted, resolved = false) {
  const body = alerts.map(({ uid, instance }) => {
    const alert = alertByUid(uid)!;
    return {
      labels: { ...alertInstanceLabels(alert, instance), __alert_rule_uid__: uid },
      annotations: { summary: `${marker} ${uid}` },
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + (resolved ? 0 : 120_000)).toISOString(),
      generatorURL: `http://localhost:3000/alerting/grafana/${uid}/view`,
    };
  });
  const res = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.text()).toBe(200);
}

/** The receivers that told the status page of this file's `uid` alert so far. */
async function receiversTold(uid: string): Promise<string[]> {
  const res = await fetch(`${stack.urls.frontend}/api/incidents`);
  const { incidents } = (await res.json()) as { incidents: Incident[] };
  const incident = incidents.find((i) => i.summary === `${marker} ${uid}`);
  return [...new Set((incident?.notices ?? []).map((notice) => notice.receiver))].sort();
}

/** Polls until `uid` was told by someone, or the time is up; returns who told it. */
async function toldWithin(uid: string, seconds: number): Promise<string[]> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const told = await receiversTold(uid);
    if (told.length > 0 || Date.now() > deadline) return told;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Long enough for a new group's first notification, and one flush more. */
const noticeSeconds = groupWaitSeconds + groupIntervalSeconds + 3;

describe.skipIf(!stack.alertmanagerUrl)('a silence made by shopfast-sim, on the real Alertmanager', () => {
  it('suppresses exactly the alert it matches, shows in silences and status, and lifting it lets the notification through', async () => {
    const made = await run('silence', 'payment-failures', '--for', '5m', '--comment', marker);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/silenced payment-failures until .* in Alertmanager \(id [0-9a-f-]+\)/);

    expect((await run('silences')).stdout).toMatch(
      new RegExp(`payment-failures +\\d:\\d\\d left +by shopfast-sim: ${marker}`),
    );
    expect((await run('status')).stdout).toMatch(
      /silences {2}payment-failures \(\d+m \d\ds left, shopfast-sim, id /,
    );

    const silenced: Posted = [
      { uid: 'payment-failures', instance: {} },
      { uid: 'high-error-rate', instance: { service: 'payment' } },
    ];
    await post(stack.alertmanagerUrl!, silenced);
    // The unsilenced alert is heard; the silenced one, firing alike, is not.
    expect(await toldWithin('high-error-rate', noticeSeconds)).toEqual(['on-call', 'shop-team']);
    expect(await receiversTold('payment-failures')).toEqual([]);
    const held = (await (await fetch(`${stack.alertmanagerUrl}/api/v2/alerts`)).json()) as {
      labels: Record<string, string>;
      status: { state: string };
    }[];
    expect(held.find((a) => a.labels.__alert_rule_uid__ === 'payment-failures')?.status.state).toBe(
      'suppressed',
    );

    const lifted = await run('unsilence', '--all');
    expect(lifted.stdout).toMatch(/lifted [1-9]\d* silence\(s\) made by shopfast-sim/);
    expect(await toldWithin('payment-failures', noticeSeconds)).toEqual(['on-call', 'shop-team']);
    expect((await run('silences')).stdout).not.toContain(marker);
    await post(stack.alertmanagerUrl!, silenced, true); // resolved: the shared status page goes back to green
  }, 60_000);
});

describe.skipIf(!findAlertmanagerBinary())('the nightly-deploy mute timing', () => {
  let alertmanager: RunningAlertmanager | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'shopfast-mute-'));

  // The stack's own design, its deploy window moved to cover the present (the clock driven through
  // the interval's definition, not by waiting for 02:00 UTC).
  beforeAll(async () => {
    const [port] = await freePorts(1);
    const configFile = await writeAlertmanagerConfig(join(dir, 'alertmanager'), {
      port: port!,
      host: '127.0.0.1',
      workDir: dir,
      logDir: dir,
      webhookUrl: `${stack.urls.frontend}/api/alerts/webhook`,
      webhookSecret: stack.webhookSecret,
    });
    const config = parse(readFileSync(configFile, 'utf8')) as {
      time_intervals: { name: string; time_intervals: { times?: unknown }[] }[];
    };
    const window = config.time_intervals.find((interval) => interval.name === deployWindow)!;
    const hhmm = (date: Date) => date.toISOString().slice(11, 16);
    const now = Date.now();
    const times = [{ start_time: hhmm(new Date(now - 60_000)), end_time: hhmm(new Date(now + 10 * 60_000)) }];
    // Near midnight the window would wrap, which a times range cannot: the whole day is muted then.
    window.time_intervals = [times[0]!.start_time < times[0]!.end_time ? { times } : {}];
    writeFileSync(configFile, stringify(config));
    alertmanager = runAlertmanager(findAlertmanagerBinary()!, configFile, {
      host: '127.0.0.1',
      port: port!,
      logDir: dir,
    });
    await waitForAlertmanager(alertmanager);
  }, 60_000);

  afterAll(async () => {
    await alertmanager?.child.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("holds back the shop team's warnings while it is active, and pages on-call for critical alerts all the same", async () => {
    const alerts: Posted = [
      { uid: 'slow-responses', instance: { service: 'api' } },
      { uid: 'failed-logins', instance: {} },
    ];
    await post(alertmanager!.url, alerts);
    expect(await toldWithin('failed-logins', noticeSeconds)).toContain('on-call');
    // By now the warning's group has flushed too (same group_wait): muted, nobody was told.
    await new Promise((resolve) => setTimeout(resolve, groupWaitSeconds * 1000));
    expect(await receiversTold('slow-responses')).toEqual([]);
    await post(alertmanager!.url, alerts, true);
  }, 60_000);
});
