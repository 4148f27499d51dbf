import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { streamSSE } from 'hono/streaming';
import { alertCatalog } from '../../domain/alerts.ts';
import { scenarioNames } from '../../domain/scenarios.ts';
import { describeScenario } from '../commands/list.ts';
import { scenarioForAlert, scenarios } from '../scenarios/registry.ts';
import { StageControls } from './controls.ts';
import { hostGuard, sameOriginGuard, tokenGuard } from './guards.ts';
import { stagePage } from './page/html.ts';
import { stageScript } from './page/script.ts';
import { stageStyles } from './page/styles.ts';
import { StageRefusal } from './refusal.ts';
import {
  alertNamed,
  alertRequest,
  boothRequest,
  boothScenarioNamed,
  parseRequest,
  runRequest,
  scenarioNamed,
  silenceRequest,
} from './requests.ts';
import type { StageState } from './stage-state.ts';

export interface StageAppOptions {
  state: StageState;
  controls: StageControls;
  /** The services' admin token: the page must present it for every control. */
  adminToken: string | undefined;
  /** The Host names accepted (null: any, when listening on every interface). */
  hosts: () => Set<string> | null;
  /** Open event streams at most (each holds a connection). */
  maxListeners?: number;
  heartbeatMs?: number;
}

const sha256 = (inline: string) => `'sha256-${createHash('sha256').update(inline).digest('base64')}'`;

/** The scenarios and alerts as `list` describes them, and what reset clears: the page shows them before a click. */
export function stageCatalog() {
  return {
    scenarios: scenarioNames.map((name) => describeScenario(scenarios[name])),
    alerts: alertCatalog.map((alert) => ({
      uid: alert.uid,
      title: alert.title,
      scenario: scenarioForAlert(alert)?.name ?? null,
      expectedSeconds: alert.expectedSecondsToFire,
    })),
    resetClears: StageControls.resetClears,
  };
}

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new StageRefusal(400, 'bad_json', 'the request body is not JSON');
  }
}

/**
 * The stage console's HTTP side: the page (its script and style inline, allowed by hash, nothing
 * else may load), the state as server-sent events, and the controls — same origin, admin token.
 */
export function stageApp(options: StageAppOptions): Hono {
  const { state, controls } = options;
  const maxListeners = options.maxListeners ?? 32;
  let listeners = 0;
  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof StageRefusal)
      return c.json({ error: { code: error.code, message: error.message } }, error.status);
    if (error instanceof HTTPException) return error.getResponse();
    console.error('stage: unexpected failure', error);
    return c.json({ error: { code: 'internal', message: error.message } }, 500);
  });
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no ${c.req.method} ${c.req.path} here` } }, 404),
  );

  app.use(hostGuard(options.hosts));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: [sha256(stageScript)],
        styleSrc: [sha256(stageStyles)],
        connectSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
      // Plain HTTP on this machine: HSTS would only get in the way.
      strictTransportSecurity: false,
    }),
  );

  app.get('/', (c) => c.html(stagePage()));
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/api/state', (c) => c.json(state.snapshot()));
  app.get('/api/catalog', (c) => c.json(stageCatalog()));
  app.get('/events', (c) => {
    if (listeners >= maxListeners)
      throw new StageRefusal(503, 'too_many_listeners', `at most ${maxListeners} open stage pages`);
    listeners += 1;
    return streamSSE(c, async (stream) => {
      let end!: () => void;
      const ended = new Promise<void>((resolve) => (end = resolve));
      stream.onAbort(end);
      const send = (snapshot = state.snapshot()) =>
        stream.writeSSE({ event: 'state', id: String(snapshot.seq), data: JSON.stringify(snapshot) });
      const unsubscribe = state.subscribe((snapshot) => void send(snapshot).catch(end));
      const heartbeat = setInterval(
        () => void stream.write(': heartbeat\n\n').catch(end),
        options.heartbeatMs ?? 15_000,
      );
      try {
        // 'snapshot' on connect (its change may be long past), 'state' for each change as it happens.
        await stream.writeSSE({ event: 'snapshot', data: JSON.stringify(state.snapshot()), retry: 2_000 });
        await ended;
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
        listeners -= 1;
      }
    });
  });

  const changes = new Hono();
  // Every change (and only changes: the page and its stream are open to read) passes both guards.
  changes.post('*', sameOriginGuard(), tokenGuard(options.adminToken));
  // The page checks the token it was given before keeping it.
  changes.post('/session', (c) => c.body(null, 204));
  changes.post('/run', async (c) => {
    const { scenario } = parseRequest(runRequest, await jsonBody(c));
    controls.run(scenarioNamed(scenario));
    return c.json({ started: scenario }, 202);
  });
  changes.post('/trigger', async (c) => {
    const { alert } = parseRequest(alertRequest, await jsonBody(c));
    controls.trigger(alertNamed(alert));
    return c.json({ started: `trigger ${alert}` }, 202);
  });
  changes.post('/reset', (c) => {
    controls.reset();
    return c.json({ started: 'reset', clears: StageControls.resetClears }, 202);
  });
  changes.post('/booth', async (c) => {
    const request = parseRequest(boothRequest, await jsonBody(c));
    controls.booth(request.scenarios.map(boothScenarioNamed), request.seed);
    return c.json({ started: 'booth', scenarios: request.scenarios, seed: request.seed }, 202);
  });
  changes.post('/stop', async (c) => c.json({ stopped: await controls.stop() }));
  changes.post('/silence', async (c) => {
    const { alert, minutes } = parseRequest(silenceRequest, await jsonBody(c));
    return c.json({ silenced: alert, minutes, id: await controls.silence(alertNamed(alert), minutes) }, 201);
  });
  changes.post('/unsilence', async (c) => {
    const { alert } = parseRequest(alertRequest, await jsonBody(c));
    return c.json({ unsilenced: alert, ids: await controls.unsilence(alertNamed(alert)) });
  });
  app.route('/api', changes);
  return app;
}
