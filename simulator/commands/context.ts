import { GrafanaClient } from '../grafana-client.ts';
import { ShopClient } from '../shop-client.ts';
import { resolveTargets, type TargetFlags, type Targets } from '../targets.ts';

export interface CommandContext {
  targets: Targets;
  shop: ShopClient;
  grafana: GrafanaClient;
}

/** Targets from flags, env, .native/stack.json and .env, and the clients that use them. */
export function commandContext(flags: TargetFlags): CommandContext {
  const targets = resolveTargets(flags);
  return {
    targets,
    shop: new ShopClient(targets.services, targets.adminToken, targets.adminTokenSource),
    grafana: new GrafanaClient(targets.grafanaUrl, targets.grafanaUser, targets.grafanaPassword),
  };
}
