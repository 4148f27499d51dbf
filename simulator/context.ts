import { openAlertStateSource, type OpenedAlertSource } from './alerts/open-source.ts';
import { GrafanaClient } from './clients/grafana-client.ts';
import { openRulePreview } from './preview/opener.ts';
import { ShopClient } from './clients/shop-client.ts';
import { resolveTargets, type TargetFlags, type Targets } from './clients/targets.ts';

export interface CommandContext {
  targets: Targets;
  shop: ShopClient;
  grafana: GrafanaClient;
  /** Grafana's alert states when it answers, else the rule preview's (close it when done). */
  openAlerts(): Promise<OpenedAlertSource>;
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
  };
}
