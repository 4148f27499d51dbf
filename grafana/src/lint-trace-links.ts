// The provisioning lint's part for the links between signals: every data source uid a link names
// must be provisioned, with Tempo provisioned each signal must lead to the others, and an alert's
// panel link must lead to a panel whose exemplars open traces.
import { exemplarMetrics } from './trace-links.ts';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every `datasourceUid` found under `value`, with the path that leads to it. */
function linkedUids(value: unknown, path: string, found: Array<{ path: string; uid: unknown }> = []) {
  if (Array.isArray(value)) value.forEach((item, i) => linkedUids(item, `${path}[${i}]`, found));
  else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'datasourceUid') found.push({ path: `${path}.${key}`, uid: item });
      else linkedUids(item, `${path}.${key}`, found);
    }
  }
  return found;
}

/** Problems with the links between the given data sources (one provisioning file's list). */
export function traceLinkProblems(datasources: unknown[]): string[] {
  const entries = datasources.filter(isObject);
  const typeOf = new Map(entries.map((d) => [d.uid, d.type]));
  const problems: string[] = [];
  for (const datasource of entries) {
    for (const link of linkedUids(datasource.jsonData, 'jsonData')) {
      if (typeof link.uid !== 'string' || !typeOf.has(link.uid)) {
        problems.push(
          `data source "${String(datasource.uid)}": ${link.path} names "${String(link.uid)}", which is not provisioned`,
        );
      }
    }
  }
  const tempoUids = entries.filter((d) => d.type === 'tempo').map((d) => d.uid);
  if (tempoUids.length === 0) return problems;
  const linksTo = (uid: unknown, type: string) => typeof uid === 'string' && typeOf.get(uid) === type;
  const jsonData = (d: Json) => (isObject(d.jsonData) ? d.jsonData : {});
  const section = (d: Json, key: string) => {
    const value = jsonData(d)[key];
    return isObject(value) ? value : {};
  };
  const list = (d: Json, key: string) => {
    const value = jsonData(d)[key];
    return Array.isArray(value) ? value.filter(isObject) : [];
  };
  for (const tempo of entries.filter((d) => d.type === 'tempo')) {
    if (!linksTo(section(tempo, 'tracesToLogsV2').datasourceUid, 'loki'))
      problems.push(`data source "${String(tempo.uid)}": tracesToLogsV2 does not lead to a Loki data source`);
    if (!linksTo(section(tempo, 'tracesToMetrics').datasourceUid, 'prometheus'))
      problems.push(
        `data source "${String(tempo.uid)}": tracesToMetrics does not lead to a Prometheus data source`,
      );
  }
  for (const loki of entries.filter((d) => d.type === 'loki')) {
    if (!list(loki, 'derivedFields').some((f) => tempoUids.includes(f.datasourceUid)))
      problems.push(`data source "${String(loki.uid)}": no derived field leads to Tempo`);
  }
  for (const prometheus of entries.filter((d) => d.type === 'prometheus')) {
    if (!list(prometheus, 'exemplarTraceIdDestinations').some((e) => tempoUids.includes(e.datasourceUid)))
      problems.push(`data source "${String(prometheus.uid)}": exemplars do not lead to Tempo`);
  }
  return problems;
}

/** A dashboard's panels by id, rows and the panels folded into them included. */
export type DashboardPanels = Map<string, Map<number, Json>>;

/** Every panel of a dashboard JSON, depth first; problems for a missing or repeated id. */
export function panelsById(dashboard: Json, problems: string[]): Map<number, Json> {
  const byId = new Map<number, Json>();
  const visit = (panels: unknown) => {
    for (const panel of Array.isArray(panels) ? panels.filter(isObject) : []) {
      const title = String(panel.title ?? panel.type);
      if (typeof panel.id !== 'number' || panel.id < 1)
        problems.push(`panel "${title}" has no id (Grafana's panel links need one)`);
      else if (byId.has(panel.id)) problems.push(`panel "${title}" has the id ${panel.id} of another panel`);
      else byId.set(panel.id, panel);
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  return byId;
}

/** True for a Prometheus target drawing exemplars of a metric the services keep them on. */
function drawsTraceExemplars(target: unknown): boolean {
  return (
    isObject(target) &&
    target.exemplar === true &&
    typeof target.expr === 'string' &&
    exemplarMetrics.some((metric) => (target.expr as string).includes(metric))
  );
}

/**
 * A rule's `dashboardUid` / `panelId`: both or neither, naming a provisioned dashboard and one of
 * its panels, a time series whose query draws the request exemplars (latency or errors).
 */
export function panelLinkProblems(rule: Json, dashboards: DashboardPanels): string[] {
  const { dashboardUid, panelId } = rule;
  if (dashboardUid === undefined && panelId === undefined) return [];
  if (typeof dashboardUid !== 'string' || typeof panelId !== 'number')
    return ['a panel link needs both dashboardUid (text) and panelId (a number)'];
  const panels = dashboards.get(dashboardUid);
  if (!panels) return [`dashboardUid "${dashboardUid}" is no provisioned dashboard`];
  const panel = panels.get(panelId);
  if (!panel) return [`dashboard ${dashboardUid} has no panel ${panelId}`];
  const targets = Array.isArray(panel.targets) ? panel.targets : [];
  if (panel.type !== 'timeseries' || !targets.some(drawsTraceExemplars))
    return [
      `panel ${panelId} ("${String(panel.title)}") of ${dashboardUid} draws no exemplars of ${exemplarMetrics.join(' or ')}, so it leads to no trace`,
    ];
  return [];
}
