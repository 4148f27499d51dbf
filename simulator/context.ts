import { openAlertStateSource, type OpenedAlertSource } from './alerts/open-source.ts';
import { AlertmanagerClient } from './clients/alertmanager-client.ts';
import { GrafanaClient } from './clients/grafana-client.ts';
import { UnreachableError } from './errors.ts';
import { openRulePreview } from './preview/opener.ts';
import { ShopClient } from './clients/shop-client.ts';
import { resolveTargets, type TargetFlags, type Targets } from './clients/targets.ts';

export interface CommandContext {
  targets: Targets;
  shop: ShopClient;
  grafana: GrafanaClient;
  /** Grafana's alert states when it answers, else the rule preview's (close it when done). */
  openAlerts(): Promise<OpenedAlertSource>;
  /** Grafana's Alertmanager when Grafana answers, else the native stack's Alertmanager. */
  openAlertmanager(): Promise<AlertmanagerClient>;
}

/** Targets from flags, env, .native/stack.json and .env, and the clients that use them. */
export function commandContext(flags: TargetFlags): CommandContext {
  const targets = resolveTargets(flags);
  const grafana = new GrafanaClient(targets.grafanaUrl, targets.grafanaUser, targets.grafanaPassword);
  return {
    targets,
    shop: new ShopClient(targets.services, targets.adminToken, targets.adminTokenSource),
    grafana,
    openAlerts: () => openAlertStateSource(grafana, targets, openRulePreview),
    openAlertmanager: async () => {
      if (await grafana.reachable())
        return AlertmanagerClient.grafana(targets.grafanaUrl, targets.grafanaUser, targets.grafanaPassword);
      if (targets.alertmanagerUrl) return AlertmanagerClient.upstream(targets.alertmanagerUrl);
      throw new UnreachableError(
        'Grafana',
        targets.grafanaUrl,
        'no Alertmanager either: start the Docker stack, or the native runner with prometheus-alertmanager installed',
      );
    },
  };
}
