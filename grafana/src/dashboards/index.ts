// Every provisioned dashboard and the file it is written to.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildBusinessDashboard } from './business.ts';
import { buildOverviewDashboard } from './overview.ts';
import { buildServiceDashboard, serviceNames } from './service.ts';

export interface DashboardFile {
  fileName: string;
  dashboard: Dashboard;
}

interface NumberedPanel {
  id?: number;
  title?: string;
  panels?: NumberedPanel[];
}

/**
 * Panel ids 1, 2, 3... in layout order (rows and the panels folded into them included): unique
 * within the dashboard, as Grafana's `viewPanel` links and the alert rules' panel links need, and
 * the same on every build.
 */
function numberPanels(dashboard: Dashboard): Dashboard {
  let next = 1;
  const number = (panels: NumberedPanel[] = []) => {
    for (const panel of panels) {
      panel.id = next++;
      number(panel.panels);
    }
  };
  number(dashboard.panels as NumberedPanel[]);
  return dashboard;
}

export function buildDashboards(): DashboardFile[] {
  return [
    { fileName: 'overview.json', dashboard: buildOverviewDashboard() },
    ...serviceNames.map((service) => ({
      fileName: `service-${service}.json`,
      dashboard: buildServiceDashboard(service),
    })),
    { fileName: 'business.json', dashboard: buildBusinessDashboard() },
  ].map(({ fileName, dashboard }) => ({ fileName, dashboard: numberPanels(dashboard) }));
}

/** Where an alert links to: the dashboard's uid and the id of its panel with this title. */
export function panelLink(dashboardUid: string, title: string): { dashboardUid: string; panelId: number } {
  const dashboard = buildDashboards().find((file) => file.dashboard.uid === dashboardUid)?.dashboard;
  const panel = (dashboard?.panels as NumberedPanel[] | undefined)?.find((p) => p.title === title);
  if (panel?.id === undefined) throw new Error(`no panel "${title}" on dashboard ${dashboardUid}`);
  return { dashboardUid, panelId: panel.id };
}
