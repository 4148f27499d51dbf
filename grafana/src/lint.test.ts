import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseDurationSeconds } from '../../domain/durations.ts';
import { lintProvisioning, markdownAnchors } from './lint.ts';

const committedDir = fileURLToPath(new URL('../provisioning/', import.meta.url));
const troubleshootingPath = fileURLToPath(new URL('../../TROUBLESHOOTING.md', import.meta.url));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const tempDirs: string[] = [];
afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A private copy of the committed provisioning and runbook, for one test to break. */
async function copyOfCommitted(): Promise<{ dir: string; troubleshooting: string }> {
  const root = await mkdtemp(join(tmpdir(), 'grafana-lint-'));
  tempDirs.push(root);
  const dir = join(root, 'provisioning');
  await cp(committedDir, dir, { recursive: true });
  const troubleshooting = join(root, 'TROUBLESHOOTING.md');
  await cp(troubleshootingPath, troubleshooting);
  return { dir, troubleshooting };
}

async function editYaml(path: string, edit: (document: Json) => void): Promise<void> {
  const document = parse(await readFile(path, 'utf8')) as Json;
  edit(document);
  await writeFile(path, stringify(document));
}

/** Lints a copy after `breakIt` changed it; returns the problems. */
async function lintBroken(
  breakIt: (dir: string, troubleshooting: string) => Promise<void>,
): Promise<string[]> {
  const { dir, troubleshooting } = await copyOfCommitted();
  await breakIt(dir, troubleshooting);
  return lintProvisioning({ provisioningDir: dir, troubleshootingPath: troubleshooting });
}

function editFirstRule(edit: (rule: Json) => void) {
  return (dir: string) =>
    editYaml(join(dir, 'alerting/rules.yaml'), (document) => edit(document.groups[0].rules[0]));
}

describe('provisioning lint', () => {
  it('passes on the committed files', async () => {
    expect(await lintProvisioning({ provisioningDir: committedDir, troubleshootingPath })).toEqual([]);
  });

  it('fails on a rule uid longer than 40 characters', async () => {
    const problems = await lintBroken(editFirstRule((rule) => (rule.uid = 'x'.repeat(41))));
    expect(problems).toEqual([expect.stringMatching(/uid is longer than 40 characters/)]);
  });

  it('fails on a rule uid used twice, across files', async () => {
    const problems = await lintBroken((dir) =>
      cp(join(dir, 'alerting/rules.yaml'), join(dir, 'alerting/rules-copy.yaml')),
    );
    expect(problems).toHaveLength(7);
    expect(problems[0]).toMatch(/^alerting\/rules\.yaml: rule high-cpu: uid is used by another rule$/);
  });

  it('fails on a group interval that is not a multiple of 10 s', async () => {
    const problems = await lintBroken((dir) =>
      editYaml(join(dir, 'alerting/rules.yaml'), (document) => (document.groups[0].interval = '15s')),
    );
    expect(problems).toEqual([expect.stringMatching(/interval 15s is not a multiple of 10s/)]);
  });

  it('fails on a data query without relativeTimeRange', async () => {
    const problems = await lintBroken(editFirstRule((rule) => delete rule.data[0].relativeTimeRange));
    expect(problems).toEqual([expect.stringMatching(/query A has no relativeTimeRange/)]);
  });

  it('fails on a datasourceUid that is not provisioned', async () => {
    const problems = await lintBroken(
      editFirstRule((rule) => (rule.data[0].datasourceUid = 'PBFA97CFB590B2093')),
    );
    expect(problems).toEqual([
      expect.stringMatching(/datasourceUid "PBFA97CFB590B2093", which is not provisioned/),
    ]);
  });

  it('fails on a condition that names no query', async () => {
    const problems = await lintBroken(editFirstRule((rule) => (rule.condition = 'D')));
    expect(problems).toEqual([expect.stringMatching(/condition "D" is not the refId of one of its queries/)]);
  });

  it('fails on a refId used twice in one rule', async () => {
    const problems = await lintBroken(editFirstRule((rule) => (rule.data[1].refId = 'A')));
    expect(problems).toContainEqual(expect.stringMatching(/refId "A" is used twice/));
  });

  it('fails on an unknown noDataState or execErrState', async () => {
    const problems = await lintBroken(
      editFirstRule((rule) => {
        rule.noDataState = 'Ok';
        rule.execErrState = 'Panic';
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/noDataState "Ok" is not one of OK, NoData, Alerting, KeepLast/),
      expect.stringMatching(/execErrState "Panic" is not one of OK, Error, Alerting, KeepLast/),
    ]);
  });

  it('fails on a duration Grafana cannot parse', async () => {
    const problems = await lintBroken(editFirstRule((rule) => (rule.for = '30 seconds')));
    expect(problems).toEqual([expect.stringMatching(/for: "30 seconds" is not a duration/)]);
  });

  it('fails on a file of another type in the alerting folder', async () => {
    const problems = await lintBroken((dir) =>
      writeFile(join(dir, 'alerting/notes.txt'), 'hand-written note'),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^alerting\/notes\.txt: only \.yaml, \.yml, \.json files/),
    ]);
  });

  it('fails on a runbook anchor missing from TROUBLESHOOTING.md', async () => {
    const problems = await lintBroken(async (_dir, troubleshooting) => {
      const text = await readFile(troubleshooting, 'utf8');
      await writeFile(troubleshooting, text.replace('<a id="failed-logins"></a>', ''));
    });
    expect(problems).toEqual([
      expect.stringMatching(/rule failed-logins: runbook_url .*#failed-logins points at no section/),
    ]);
  });

  it('fails on a dashboard that uses a data source that is not provisioned', async () => {
    const problems = await lintBroken(async (dir) => {
      const path = join(dir, 'dashboards/shopfast/overview.json');
      await writeFile(
        path,
        (await readFile(path, 'utf8')).replaceAll('"uid": "postgres"', '"uid": "old-postgres"'),
      );
    });
    expect(problems).toEqual([
      'dashboards/shopfast/overview.json: dashboard uses data source uid "old-postgres", which is not provisioned',
    ]);
  });

  const ruleNamed = (document: Json, uid: string): Json =>
    (document.groups[0].rules as Json[]).find((rule) => rule.uid === uid)!;
  const editRule = (uid: string, edit: (rule: Json) => void) => (dir: string) =>
    editYaml(join(dir, 'alerting/rules.yaml'), (document) => edit(ruleNamed(document, uid)));
  const editOverview = (edit: (dashboard: Json) => void) => async (dir: string) => {
    const path = join(dir, 'dashboards/shopfast/overview.json');
    const dashboard = JSON.parse(await readFile(path, 'utf8')) as Json;
    edit(dashboard);
    await writeFile(path, JSON.stringify(dashboard));
  };
  const overviewPanel = (dashboard: Json, title: string): Json =>
    (dashboard.panels as Json[]).find((panel) => panel.title === title)!;

  it('links slow-responses and high-error-rate to overview panels that draw exemplars', async () => {
    const rules = parse(await readFile(join(committedDir, 'alerting/rules.yaml'), 'utf8')) as Json;
    const overview = JSON.parse(
      await readFile(join(committedDir, 'dashboards/shopfast/overview.json'), 'utf8'),
    ) as Json;
    const linkedTitle = (uid: string) => {
      const rule = ruleNamed(rules, uid);
      expect(rule.dashboardUid).toBe(overview.uid);
      return (overview.panels as Json[]).find((panel) => panel.id === rule.panelId)?.title;
    };
    expect(linkedTitle('slow-responses')).toBe('Latency p95');
    expect(linkedTitle('high-error-rate')).toBe('Error rate (5xx share)');
    const ids = (overview.panels as Json[]).map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each([
    [
      'a dashboard uid that is not provisioned',
      editRule('slow-responses', (rule) => (rule.dashboardUid = 'shopfast-gone')),
      /rule slow-responses: dashboardUid "shopfast-gone" is no provisioned dashboard/,
    ],
    [
      'a panel id the dashboard does not have',
      editRule('slow-responses', (rule) => (rule.panelId = 99)),
      /rule slow-responses: dashboard shopfast-overview has no panel 99/,
    ],
    [
      'a panel without exemplars (a stat)',
      editRule('high-error-rate', (rule) => (rule.panelId = 6)),
      /rule high-error-rate: panel 6 \("Orders per minute"\) of shopfast-overview draws no exemplars/,
    ],
    [
      'half a link',
      editRule('slow-responses', (rule) => delete rule.panelId),
      /rule slow-responses: a panel link needs both dashboardUid \(text\) and panelId/,
    ],
    [
      'its panel with exemplars switched off',
      editOverview((dashboard) => {
        for (const target of overviewPanel(dashboard, 'Latency p95').targets as Json[])
          target.exemplar = false;
      }),
      /rule slow-responses: panel 4 \("Latency p95"\) of shopfast-overview draws no exemplars/,
    ],
  ])('fails on a panel link to %s', async (_what, breakIt, problem) => {
    expect(await lintBroken(breakIt)).toEqual([expect.stringMatching(problem)]);
  });

  it('fails on panels without an id or sharing one', async () => {
    const problems = await lintBroken(
      editOverview((dashboard) => {
        overviewPanel(dashboard, 'Requests per second').id = 3;
        delete overviewPanel(dashboard, 'Orders per minute').id;
      }),
    );
    expect(problems).toContainEqual(
      'dashboards/shopfast/overview.json: panel "Error rate (5xx share)" has the id 3 of another panel',
    );
    expect(problems).toContainEqual(expect.stringMatching(/panel "Orders per minute" has no id/));
  });

  it('fails on a label with a $ Grafana would expand from the environment', async () => {
    const problems = await lintBroken(
      editFirstRule((rule) => (rule.labels.service = '{{ $labels.service }}')),
    );
    expect(problems).toEqual([expect.stringMatching(/label service has a \$ Grafana expands/)]);
  });

  it('fails on a policy whose receiver is not a contact point', async () => {
    const problems = await lintBroken((dir) =>
      editYaml(join(dir, 'alerting/policies.yaml'), (document) => (document.policies[0].receiver = 'pager')),
    );
    expect(problems).toEqual([
      expect.stringMatching(/policy receiver "pager" is not a provisioned contact point/),
    ]);
  });

  it('fails on a nested route whose mute timing is not provisioned', async () => {
    const problems = await lintBroken((dir) =>
      editYaml(join(dir, 'alerting/mute-timings.yaml'), (document) => (document.muteTimes[0].name = 'lunch')),
    );
    expect(problems).toEqual([
      expect.stringMatching(/policy mute_time_intervals "nightly-deploy" is not a provisioned mute timing/),
    ]);
  });

  it('fails on a nested route whose receiver is not a contact point', async () => {
    const problems = await lintBroken((dir) =>
      editYaml(
        join(dir, 'alerting/policies.yaml'),
        (document) => (document.policies[0].routes[1].receiver = 'buyers'),
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(/policy receiver "buyers" is not a provisioned contact point/),
    ]);
  });

  it('fails on a contact point whose template no provisioned template defines', async () => {
    const problems = await lintBroken((dir) =>
      editYaml(join(dir, 'alerting/templates.yaml'), (document) => {
        document.templates[0].template = document.templates[0].template.replace(
          'define "shopfast.title"',
          'define "shopfast.heading"',
        );
      }),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /contact point on-call uses template "shopfast.title", which no provisioned template defines/,
      ),
    );
  });

  it('fails on a contact point whose required setting expands to "" in Grafana\'s environment', async () => {
    const { dir, troubleshooting } = await copyOfCommitted();
    await editYaml(join(dir, 'alerting/contact-points.yaml'), (document) => {
      document.contactPoints[0].receivers[0].settings.url = '${SHOP_WEBHOOK_URL}';
    });
    const lint = (grafanaEnv: Record<string, string>) =>
      lintProvisioning({ provisioningDir: dir, troubleshootingPath: troubleshooting, grafanaEnv });
    expect(await lint({})).toEqual([
      expect.stringMatching(
        /contact point on-call: webhook setting url is "\$\{SHOP_WEBHOOK_URL\}", which is empty/,
      ),
    ]);
    expect(await lint({ SHOP_WEBHOOK_URL: 'http://frontend:8081/api/alerts/webhook' })).toEqual([]);
  });

  it('fails on a data source without a pinned uid', async () => {
    const problems = await lintBroken((dir) =>
      editYaml(join(dir, 'datasources/datasources.yaml'), (document) => delete document.datasources[1].uid),
    );
    expect(problems).toContainEqual(expect.stringMatching(/a data source has no pinned uid/));
  });

  const datasourceNamed = (document: Json, uid: string): Json =>
    (document.datasources as Json[]).find((d) => d.uid === uid)!;
  const editDatasource = (uid: string, edit: (datasource: Json) => void) => (dir: string) =>
    editYaml(join(dir, 'datasources/datasources.yaml'), (document) => edit(datasourceNamed(document, uid)));

  it('fails on a cross-link to a data source uid that is not provisioned', async () => {
    const problems = await lintBroken(
      editDatasource('tempo', (tempo) => (tempo.jsonData.tracesToLogsV2.datasourceUid = 'logs')),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /"tempo": jsonData\.tracesToLogsV2\.datasourceUid names "logs", which is not provisioned/,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/tracesToLogsV2 does not lead to a Loki data source/),
    );
  });

  it.each([
    [
      'tempo',
      (d: Json) => delete d.jsonData.tracesToMetrics,
      /tracesToMetrics does not lead to a Prometheus/,
    ],
    ['loki', (d: Json) => delete d.jsonData.derivedFields, /"loki": no derived field leads to Tempo/],
    [
      'prometheus',
      (d: Json) => delete d.jsonData.exemplarTraceIdDestinations,
      /"prometheus": exemplars do not lead to Tempo/,
    ],
  ])('fails when %s loses its link to the other signals', async (uid, edit, problem) => {
    expect(await lintBroken(editDatasource(uid, edit))).toContainEqual(expect.stringMatching(problem));
  });
});

describe('durations', () => {
  it('parses what Grafana parses and nothing else', () => {
    expect(parseDurationSeconds('10s')).toBe(10);
    expect(parseDurationSeconds('1h30m')).toBe(5400);
    expect(parseDurationSeconds('0')).toBe(0);
    expect(parseDurationSeconds('')).toBeUndefined();
    expect(parseDurationSeconds('30 seconds')).toBeUndefined();
    expect(parseDurationSeconds('1.5m')).toBeUndefined();
  });
});

describe('markdown anchors', () => {
  it('collects explicit anchors and heading slugs', () => {
    const anchors = markdownAnchors('<a id="high-cpu"></a>\n\n### High CPU usage (`high-cpu`)\n');
    expect(anchors).toEqual(new Set(['high-cpu', 'high-cpu-usage-high-cpu']));
  });
});
