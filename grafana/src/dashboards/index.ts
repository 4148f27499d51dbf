// Every provisioned dashboard and the file it is written to.
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildBusinessDashboard } from './business.ts';
import { buildOverviewDashboard } from './overview.ts';
import { buildServiceDashboard, serviceNames } from './service.ts';

export interface DashboardFile {
  fileName: string;
  dashboard: Dashboard;
}

export function buildDashboards(): DashboardFile[] {
  return [
    { fileName: 'overview.json', dashboard: buildOverviewDashboard() },
    ...serviceNames.map((service) => ({
      fileName: `service-${service}.json`,
      dashboard: buildServiceDashboard(service),
    })),
    { fileName: 'business.json', dashboard: buildBusinessDashboard() },
  ];
}
