import type { StackInfo } from './stack.ts';

/** Nothing listens on the discard port: "not reachable" at once, without waiting for a timeout. */
export const unreachableUrl = 'http://127.0.0.1:9';

/** Where the simulator finds a native stack, named as its target flags (`--api-url` …). */
export interface NativeStackTargets {
  apiUrl: string;
  frontendUrl: string;
  paymentUrl: string;
  inventoryUrl: string;
  prometheusUrl: string;
  lokiUrl: string;
  grafanaUrl: string;
  databaseUrl: string;
  adminToken: string;
}

/**
 * The simulator's targets for a native stack. It has no Grafana, so the simulator falls back to the
 * rule preview; its Alertmanager is left to the caller, since the preview posts its alerts there.
 */
export function nativeStackTargets(stack: StackInfo): NativeStackTargets {
  return {
    apiUrl: stack.urls.api,
    frontendUrl: stack.urls.frontend,
    paymentUrl: stack.urls.payment,
    inventoryUrl: stack.urls.inventory,
    prometheusUrl: stack.prometheusUrl ?? unreachableUrl,
    lokiUrl: stack.lokiUrl ?? unreachableUrl,
    grafanaUrl: unreachableUrl,
    databaseUrl: stack.databaseUrl,
    adminToken: stack.adminToken,
  };
}
