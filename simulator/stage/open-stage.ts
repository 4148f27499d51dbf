import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { OpenedAlertSource } from '../alerts/open-source.ts';
import type { CommandContext } from '../context.ts';
import { sourceHeading } from '../display/format.ts';
import { UsageError } from '../errors.ts';
import { openRulePreview } from '../preview/opener.ts';
import { RulePreview } from '../preview/rule-preview.ts';
import { StageControls } from './controls.ts';
import { allowedHosts } from './guards.ts';
import { NotificationFeed } from './notifications.ts';
import { stageApp } from './server.ts';
import { StageSilences } from './silences.ts';
import { StageState } from './stage-state.ts';
import { startWatchers } from './watchers.ts';

export interface StageOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
}

export interface RunningStage {
  url: string;
  state: StageState;
  /** Stops what runs (undoing its faults), the watchers and the server. */
  close(): Promise<void>;
}

/** The values come from the rule preview: the one the source already is, or one opened for them. */
async function openValues(
  context: CommandContext,
  alerts: OpenedAlertSource,
): Promise<{ preview: RulePreview | null; label: string; close(): Promise<void> }> {
  const label = "each rule's own query, evaluated here on the rule group's ticks";
  if (alerts.source instanceof RulePreview) return { preview: alerts.source, label, close: async () => {} };
  try {
    // Only for values: the state source (Grafana) already tells its Alertmanager.
    const opened = await openRulePreview({ ...context.targets, alertmanagerUrl: null });
    return opened.source instanceof RulePreview
      ? { preview: opened.source, label, close: () => opened.close() }
      : { preview: null, label: 'not available', close: () => opened.close() };
  } catch (error) {
    return {
      preview: null,
      label: `not available (${error instanceof Error ? error.message : String(error)})`,
      close: async () => {},
    };
  }
}

function listen(app: ReturnType<typeof stageApp>, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }) as Server;
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL'
          ? new UsageError(
              `the stage cannot listen on ${host} port ${port} (${error.code}): choose another --port or --host`,
            )
          : error,
      ),
    );
  });
}

/**
 * Opens everything the stage shows and drives — the alert states (Grafana, else the rule
 * preview), the values, the notifications and the Alertmanager's silences — and serves the page.
 */
export async function startStage(context: CommandContext, options: StageOptions): Promise<RunningStage> {
  const alerts = await context.openAlerts();
  const values = await openValues(context, alerts);
  // As `shopfast-sim silence` finds it; without one the cards show no silences and the page refuses to set any.
  const alertmanager = await context.openAlertmanager().catch(() => null);
  const feed = new NotificationFeed(context.targets.services.frontend, alertmanager);
  const state = new StageState({
    kind: alerts.source?.kind ?? null,
    label: alerts.source
      ? sourceHeading(alerts.source.kind, context.targets.grafanaUrl)
      : (alerts.unavailable ?? 'no alert states'),
    values: values.label,
    notifications: feed.describe(),
  });
  const watchers = startWatchers({
    state,
    source: alerts.source,
    values: values.preview,
    feed,
    shop: context.shop,
    readFaults: context.targets.adminToken !== undefined,
  });
  const controls = new StageControls({
    state,
    targets: context.targets,
    shop: context.shop,
    source: alerts.source,
    ...(alerts.unavailable ? { unavailable: alerts.unavailable } : {}),
    silences: new StageSilences(
      alertmanager,
      'Grafana does not answer and no Alertmanager is known (--alertmanager-url, ALERTMANAGER_URL)',
    ),
  });
  const closeSources = async () => {
    await watchers.stop();
    await values.close();
    await alerts.close();
  };
  let hosts: Set<string> | null = new Set();
  let server: Server;
  try {
    server = await listen(
      stageApp({ state, controls, adminToken: context.targets.adminToken, hosts: () => hosts }),
      options.host,
      options.port,
    );
  } catch (error) {
    await closeSources();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  hosts = allowedHosts(options.host, port);
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/`,
    state,
    close: async () => {
      await controls.close();
      await closeSources();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // the pages' event streams never end by themselves
      await closed;
    },
  };
}
