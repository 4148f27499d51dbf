import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serviceNames } from '../../domain/services.ts';
import type { AlertStateSource, RuleStatus } from '../alerts/state-source.ts';
import { ShopClient } from '../clients/shop-client.ts';
import type { Targets } from '../clients/targets.ts';
import { FakeAlertSource } from '../testing/fake-alert-source.ts';
import { StageControls } from './controls.ts';
import { stageScript } from './page/script.ts';
import { stageStyles } from './page/styles.ts';
import { stageApp } from './server.ts';
import { StageSilences } from './silences.ts';
import { StageState } from './stage-state.ts';

// The HTTP side of the stage without a stack: the services are unreachable, the alert states a
// fake. Every refusal must leave the state as it was.

const nowhere = 'http://127.0.0.1:9';
const token = 'stage-test-token';
const host = '127.0.0.1:8070';
const targets: Targets = {
  services: Object.fromEntries(serviceNames.map((name) => [name, nowhere])) as Targets['services'],
  prometheusUrl: nowhere,
  lokiUrl: nowhere,
  grafanaUrl: nowhere,
  alertmanagerUrl: null,
  databaseUrl: 'postgres://shopfast@127.0.0.1:9/shopfast',
  grafanaUser: 'admin',
  grafanaPassword: 'admin',
  adminToken: token,
  adminTokenSource: 'the test',
};

/** Every rule Normal, answered only once open() is called. */
class GatedSource implements AlertStateSource {
  readonly kind = 'preview';
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  open(): void {
    this.release();
  }
  async ruleStatuses(): Promise<Map<string, RuleStatus>> {
    await this.gate;
    return new FakeAlertSource('preview').ruleStatuses();
  }
}

let controls: StageControls;

function stage(source: AlertStateSource = new FakeAlertSource('preview')) {
  const state = new StageState({ kind: 'preview', label: 'preview', values: 'none', notifications: 'none' });
  controls = new StageControls({
    state,
    targets,
    shop: new ShopClient(targets.services, token, 'the test'),
    source,
    silences: new StageSilences(null, 'no Alertmanager in this test'),
  });
  const app = stageApp({ state, controls, adminToken: token, hosts: () => new Set([host]) });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(`/api/${path}`, {
      method: 'POST',
      headers: { host, authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  return { state, app, post };
}

async function refusal(response: Response) {
  return {
    status: response.status,
    ...((await response.json()) as { error: { code: string; message: string } }).error,
  };
}

afterEach(async () => {
  await controls.close();
});

describe('the stage server refuses bad input with a clear 4xx and changes nothing', () => {
  it('a wrong or missing token', async () => {
    const { state, post } = stage();
    expect(
      await refusal(await post('run', { scenario: 'security-breach' }, { authorization: 'Bearer wrong' })),
    ).toMatchObject({
      status: 401,
      code: 'wrong_token',
      message: expect.stringMatching(/wrong admin token: nothing was changed/),
    });
    expect(await refusal(await post('reset', {}, { authorization: '' }))).toMatchObject({
      status: 401,
      code: 'token_required',
    });
    expect(state.activity).toBeNull();
  });

  it('another origin, even with the right token', async () => {
    const { state, post } = stage();
    expect(
      await refusal(await post('run', { scenario: 'normal' }, { origin: 'http://evil.example' })),
    ).toMatchObject({
      status: 403,
      code: 'cross_origin',
    });
    expect(
      await refusal(await post('run', { scenario: 'normal' }, { 'sec-fetch-site': 'cross-site' })),
    ).toMatchObject({
      status: 403,
    });
    expect(state.activity).toBeNull();
    // The page's own origin passes.
    expect(
      (await post('session', {}, { origin: `http://${host}`, 'sec-fetch-site': 'same-origin' })).status,
    ).toBe(204);
  });

  it('a Host it does not answer as (DNS rebinding), for reading too', async () => {
    const { app } = stage();
    const response = await app.request('/api/state', { headers: { host: 'evil.example:8070' } });
    expect(await refusal(response)).toMatchObject({ status: 403, code: 'unknown_host' });
  });

  it('unknown scenarios and alerts, and malformed bodies', async () => {
    const { state, post } = stage();
    expect(await refusal(await post('run', { scenario: 'doomsday' }))).toMatchObject({
      status: 400,
      code: 'unknown_scenario',
      message: expect.stringContaining('security-breach'),
    });
    expect(await refusal(await post('trigger', { alert: 'disk-full' }))).toMatchObject({
      status: 400,
      code: 'unknown_alert',
    });
    expect(await refusal(await post('silence', { alert: 'failed-logins', minutes: 0 }))).toMatchObject({
      status: 400,
      code: 'bad_request',
      message: expect.stringMatching(/^minutes:/),
    });
    expect(await refusal(await post('booth', { scenarios: ['all'] }))).toMatchObject({
      status: 400,
      code: 'unknown_scenario',
    });
    expect(await refusal(await post('booth', { scenarios: [] }))).toMatchObject({
      status: 400,
      code: 'bad_request',
    });
    expect(await refusal(await post('run', { scenario: 'normal', extra: 1 }))).toMatchObject({ status: 400 });
    expect(state.activity).toBeNull();
  });

  it('a second start while one runs, naming what runs; stop ends it', async () => {
    // The trigger's first look at the alert states waits until the test lets it through.
    const source = new GatedSource();
    const { state, post } = stage(source);
    expect((await post('trigger', { alert: 'failed-logins' })).status).toBe(202);
    expect(state.activity).toMatchObject({ kind: 'trigger', title: 'trigger failed-logins' });
    for (const [path, body] of [
      ['run', { scenario: 'normal' }],
      ['reset', {}],
      ['booth', { scenarios: ['normal'] }],
      ['trigger', { alert: 'high-cpu' }],
    ] as const) {
      expect(await refusal(await post(path, body)), path).toMatchObject({
        status: 409,
        code: 'busy',
        message: expect.stringMatching(/^trigger failed-logins is running .*stop it first/),
      });
    }
    // Stop aborts it and waits for it to end, which it can once its look at the states returns.
    const stopped = post('stop', {});
    await vi.waitFor(() => expect(state.activity?.stopping).toBe(true));
    source.open();
    expect(await (await stopped).json()).toEqual({ stopped: 'trigger failed-logins' });
    expect(state.activity).toBeNull();
    expect(await refusal(await post('stop', {}))).toMatchObject({ status: 409, code: 'idle' });
  });

  it('silences without an Alertmanager', async () => {
    const { post } = stage();
    expect(await refusal(await post('silence', { alert: 'failed-logins' }))).toMatchObject({
      status: 409,
      code: 'no_alertmanager',
      message: expect.stringContaining('no Alertmanager in this test'),
    });
  });
});

describe('the page', () => {
  it('is served with a CSP that allows exactly its own inline script and style', async () => {
    const { app } = stage();
    const response = await app.request('/', { headers: { host } });
    const csp = response.headers.get('content-security-policy') ?? '';
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(csp).toContain(`script-src ${hash(stageScript)}`);
    expect(csp).toContain(`style-src ${hash(stageStyles)}`);
    expect(csp).toMatch(/^default-src 'none'/);
    const html = await response.text();
    expect(html).toContain(`<script>${stageScript}</script>`);
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/);
  });

  it('streams the state as server-sent events, a snapshot on connect', async () => {
    const { app } = stage();
    const response = await app.request('/events', { headers: { host } });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    const text = new TextDecoder().decode(value);
    expect(text).toMatch(/^event: snapshot\n/);
    const data = JSON.parse(/^data: (.*)$/m.exec(text)![1]!) as {
      cards: unknown[];
      source: { kind: string };
    };
    expect(data.cards).toHaveLength(11);
    expect(data.source.kind).toBe('preview');
    await reader.cancel();
  });
});
