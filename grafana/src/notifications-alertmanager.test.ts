// The notification design as upstream Alertmanager 0.25 reads it, checked by its own amtool, and
// held to the Grafana rendering route by route.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runAmtool, type AmtoolResult } from './amtool.ts';
import { alertmanagerDir } from './build.ts';
import { alertCatalog } from '../../domain/alerts.ts';
import { alertmanagerConfigFile, defaultTarget, templateFile } from './notifications-alertmanager.ts';
import { receiversFor } from './notifications.ts';
import { renderAlertmanager, renderProvisioning } from './render.ts';
import { alertInstanceLabels } from './rules.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const committedConfig = join(alertmanagerDir, alertmanagerConfigFile);
const committedTemplates = join(alertmanagerDir, templateFile);

async function amtool(args: string[]): Promise<AmtoolResult> {
  const result = await runAmtool(args);
  if (result === null) throw new Error('amtool is not installed: run scripts/ensure-test-deps.sh');
  return result;
}

const expectedInstances = alertCatalog.flatMap((alert) =>
  Object.values(alert.firesIn)
    .flat()
    .map((instance) => ({ alert, labels: alertInstanceLabels(alert, instance) })),
);

describe('alertmanager/ as committed', () => {
  const rendered = renderAlertmanager({ slack: false }, defaultTarget);

  it('is exactly what the code renders (run npm run grafana:build)', async () => {
    expect((await readdir(alertmanagerDir)).sort()).toEqual([...rendered.keys()].sort());
    for (const [file, content] of rendered)
      expect(await readFile(join(alertmanagerDir, file), 'utf8'), file).toBe(content);
  });

  it('passes amtool check-config', async () => {
    const result = await amtool(['check-config', committedConfig]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });
});

describe('amtool check-config', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alertmanager-config-'));
    await writeFile(join(dir, templateFile), await readFile(committedTemplates));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function checkEdited(edit: (config: Json) => void): Promise<AmtoolResult> {
    const config = parse(await readFile(committedConfig, 'utf8')) as Json;
    edit(config);
    const file = join(dir, alertmanagerConfigFile);
    await writeFile(file, stringify(config));
    return amtool(['check-config', file]);
  }

  it.each([
    [
      'a route naming a missing receiver',
      (config: Json) => (config.route.routes[1].receiver = 'buyers'),
      'undefined receiver "buyers" used in route',
    ],
    [
      'a route naming a missing mute timing',
      (config: Json) => (config.time_intervals[0].name = 'lunch'),
      'undefined time interval "nightly-deploy" used in route',
    ],
    [
      "Grafana's object_matchers (strict parsing)",
      (config: Json) => (config.route.routes[0].object_matchers = [['severity', '=', 'critical']]),
      'field object_matchers not found',
    ],
  ])('fails on %s', async (_what, edit, message) => {
    const result = await checkEdited(edit);
    expect(result.ok).toBe(false);
    expect(result.output).toContain(message);
  });
});

describe('amtool config routes test', () => {
  it('covers every alert instance the catalog expects', () => {
    expect(expectedInstances.length).toBeGreaterThanOrEqual(alertCatalog.length);
  });

  it.each(expectedInstances.map(({ alert, labels }) => [alert.uid, labels] as const))(
    '%s %o reaches the receivers receiversFor() names',
    async (_uid, labels) => {
      const pairs = Object.entries(labels).map(([name, value]) => `${name}=${value}`);
      const result = await amtool(['config', 'routes', 'test', `--config.file=${committedConfig}`, ...pairs]);
      expect(result.ok, result.output).toBe(true);
      expect(result.stdout.trim().split(',')).toEqual(receiversFor(labels));
    },
  );
});

describe('amtool template render', () => {
  const sample = {
    receiver: 'on-call',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: {
          alertname: 'High error rate',
          grafana_folder: 'ShopFast',
          service: 'payment',
          severity: 'critical',
          team: 'shop',
          __alert_rule_uid__: 'high-error-rate',
        },
        annotations: {
          summary: 'More than 10 % of a service’s requests answer 5xx.',
          description: 'High error rate on service payment: value 0.42, alerting when above 0.1.',
          runbook_url: 'http://localhost:8081/docs/TROUBLESHOOTING.md#high-error-rate',
          __dashboardUid__: 'shopfast-overview',
          __panelId__: '3',
        },
        startsAt: '2026-12-01T10:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://localhost:3000/alerting/grafana/high-error-rate/view',
        fingerprint: '1a2b3c4d5e6f7a8b',
      },
    ],
    groupLabels: { alertname: 'High error rate' },
    commonLabels: { alertname: 'High error rate', service: 'payment', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
  };
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alertmanager-templates-'));
    await writeFile(join(dir, 'sample.json'), JSON.stringify(sample));
    const grafanaTemplates = parse(renderProvisioning({ slack: false }).get('alerting/templates.yaml') ?? '');
    await writeFile(join(dir, 'grafana.tmpl'), (grafanaTemplates as Json).templates[0].template);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const render = (glob: string, text: string) =>
    amtool([
      'template',
      'render',
      `--template.glob=${glob}`,
      `--template.text=${text}`,
      `--template.data=${join(dir, 'sample.json')}`,
    ]);

  it('renders the title: status, count, alert, service and receiver', async () => {
    const result = await render(committedTemplates, '{{ template "shopfast.title" . }}');
    expect(result.ok, result.output).toBe(true);
    expect(result.output.trim()).toBe('[FIRING:1] High error rate on payment → on-call');
  });

  it('renders the body: the alert, its instance, value, runbook and panel', async () => {
    const result = await render(committedTemplates, '{{ template "shopfast.message" . }}');
    expect(result.ok, result.output).toBe(true);
    expect(result.output.trim().split('\n')).toEqual([
      'FIRING High error rate service=payment (critical)',
      'High error rate on service payment: value 0.42, alerting when above 0.1.',
      'Runbook: http://localhost:8081/docs/TROUBLESHOOTING.md#high-error-rate',
      'Panel: http://localhost:3000/d/shopfast-overview?orgId=1&viewPanel=3',
    ]);
  });

  it("parses Grafana's copy with upstream's functions alone (no function 0.25 lacks)", async () => {
    const result = await render(join(dir, 'grafana.tmpl'), '{{ template "shopfast.title" . }}');
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toContain('High error rate');
  });

  it('fails on a function 0.25 does not have (the check can fail)', async () => {
    const result = await render(committedTemplates, '{{ trimSpace " x " }}');
    expect(result.ok).toBe(false);
    expect(result.output).toContain('function "trimSpace" not defined');
  });
});
