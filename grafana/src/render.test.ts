import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { writeProvisioning } from './build.ts';
import { grafanaEnvironment } from './grafana-environment.ts';
import { lintProvisioning } from './lint.ts';
import { generatedNote, renderProvisioning } from './render.ts';

const committedDir = fileURLToPath(new URL('../provisioning/', import.meta.url));
const troubleshootingPath = fileURLToPath(new URL('../../TROUBLESHOOTING.md', import.meta.url));
const composeFile = fileURLToPath(new URL('../../docker-compose.yml', import.meta.url));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe('generated provisioning', () => {
  const rendered = renderProvisioning({ slack: false });

  it('is committed exactly as the code generates it (run npm run grafana:build)', async () => {
    expect(await filesUnder(committedDir)).toEqual([...rendered.keys()].sort());
    for (const [path, content] of rendered) {
      expect(await readFile(join(committedDir, path), 'utf8'), path).toBe(content);
    }
  });

  it('renders the same bytes twice', () => {
    expect(renderProvisioning({ slack: false })).toEqual(rendered);
  });

  it('marks every file as generated', () => {
    for (const [path, content] of rendered) {
      if (path.endsWith('.json'))
        expect((JSON.parse(content) as { _generated: string })._generated).toBe(generatedNote);
      else expect(content.startsWith(`# ${generatedNote}\n`), path).toBe(true);
    }
  });

  it('holds the seven rules in one group evaluated every 10 s', () => {
    const document = parse(rendered.get('alerting/rules.yaml') ?? '') as {
      groups: {
        interval: string;
        folder: string;
        rules: { uid: string; labels: Record<string, string> }[];
      }[];
    };
    expect(document.groups).toHaveLength(1);
    expect(document.groups[0]?.interval).toBe('10s');
    expect(document.groups[0]?.folder).toBe('ShopFast');
    expect(document.groups[0]?.rules.map((rule) => rule.uid)).toHaveLength(7);
    for (const rule of document.groups[0]?.rules ?? [])
      expect(Object.keys(rule.labels).sort()).toEqual(['service', 'severity', 'team']);
  });

  it('signs in to PostgreSQL as the read-only role, its password from the environment', () => {
    const document = parse(rendered.get('datasources/datasources.yaml') ?? '') as {
      datasources: {
        uid: string;
        type: string;
        user?: string;
        jsonData: Record<string, unknown>;
        secureJsonData?: Record<string, string>;
      }[];
    };
    expect(document.datasources.map((datasource) => datasource.uid)).toEqual([
      'prometheus',
      'loki',
      'postgres',
      'tempo',
    ]);
    const postgres = document.datasources[2];
    expect(postgres?.type).toBe('grafana-postgresql-datasource');
    expect(postgres?.jsonData.database).toBe('shopfast');
    expect(postgres?.user).toBe('shopfast_grafana');
    expect(postgres?.secureJsonData).toEqual({ password: '${GRAFANA_DB_PASSWORD}' });
  });

  it("writes the trace links' Grafana variables with $$, so provisioning does not expand them as env vars", () => {
    const text = rendered.get('datasources/datasources.yaml') ?? '';
    const document = parse(text) as { datasources: { uid: string; jsonData: Record<string, any> }[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const byUid = new Map(document.datasources.map((d) => [d.uid, d.jsonData]));
    expect(byUid.get('loki')?.derivedFields[0]).toMatchObject({
      datasourceUid: 'tempo',
      url: '$${__value.raw}',
      matcherRegex: '"trace_id":"([0-9a-f]{32})"',
    });
    expect(byUid.get('prometheus')?.exemplarTraceIdDestinations).toEqual([
      { name: 'trace_id', datasourceUid: 'tempo' },
    ]);
    for (const query of byUid.get('tempo')?.tracesToMetrics.queries ?? []) {
      expect(query.query).toContain('{$$__tags');
    }
  });

  it('sends every receiver to the frontend with the shared secret header and the templates', () => {
    const document = parse(rendered.get('alerting/contact-points.yaml') ?? '') as {
      contactPoints: { name: string; receivers: { type: string; settings: Record<string, unknown> }[] }[];
    };
    expect(document.contactPoints.map((contactPoint) => contactPoint.name)).toEqual([
      'on-call',
      'shop-team',
      'merchandising',
    ]);
    for (const { receivers } of document.contactPoints) {
      expect(receivers).toHaveLength(1);
      expect(receivers[0]?.type).toBe('webhook');
      expect(receivers[0]?.settings).toMatchObject({
        url: 'http://frontend:8081/api/alerts/webhook',
        headers: { 'X-Webhook-Secret': '${ALERT_WEBHOOK_SECRET}' },
        title: '{{ template "shopfast.title" . }}',
        message: '{{ template "shopfast.message" . }}',
      });
    }
  });

  describe('with Slack enabled', () => {
    const tempDirs: string[] = [];
    afterAll(() => Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

    it('adds the Slack contact point and a route to it, and still passes the lint', async () => {
      const withSlack = renderProvisioning({ slack: true });
      expect(withSlack.get('alerting/contact-points.yaml')).toContain('url: ${SLACK_WEBHOOK_URL}');
      expect(withSlack.get('alerting/policies.yaml')).toMatch(/receiver: shop-slack/);
      expect(withSlack.get('alerting/contact-points.yaml')).toContain(
        'text: \'{{ template "shopfast.message" . }}\'',
      );
      const dir = await mkdtemp(join(tmpdir(), 'grafana-slack-'));
      tempDirs.push(dir);
      await writeProvisioning(dir, withSlack);
      const grafanaEnv = (slackUrl: string) =>
        grafanaEnvironment(composeFile, '/nonexistent/.env', { SLACK_WEBHOOK_URL: slackUrl });
      const slackHook = 'https://hooks.slack.com/services/T000/B000/XXXX';
      expect(
        await lintProvisioning({
          provisioningDir: dir,
          troubleshootingPath,
          grafanaEnv: grafanaEnv(slackHook),
        }),
      ).toEqual([]);
      // Compose passes the variable to Grafana; unset, the contact point would stop Grafana.
      expect(
        await lintProvisioning({ provisioningDir: dir, troubleshootingPath, grafanaEnv: grafanaEnv('') }),
      ).toEqual([
        expect.stringMatching(
          /contact point shop-slack: slack setting url is "\$\{SLACK_WEBHOOK_URL\}", which is empty/,
        ),
      ]);
    });
  });
});
