import type { StackInfo } from '../scripts/native/stack.ts';

/** The environment a CLI run sees: which stack it targets, for a child process or an in-process run. */

/** Nothing listens on the discard port: "Grafana not reachable" at once. */
export const unreachableUrl = 'http://127.0.0.1:9';

const targetVariables = [
  'SHOPFAST_API_URL',
  'SHOPFAST_FRONTEND_URL',
  'SHOPFAST_PAYMENT_URL',
  'SHOPFAST_INVENTORY_URL',
  'PROMETHEUS_URL',
  'LOKI_URL',
  'GRAFANA_URL',
  'DATABASE_URL',
  'GRAFANA_USER',
  'GRAFANA_PASSWORD',
  'ADMIN_TOKEN',
];

/** This process's environment without any variable that names a target: the CLI's own defaults and files decide. */
export function envWithoutTargets(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of targetVariables) delete env[name];
  return env;
}

/** `base` with each override set, or removed where its value is undefined. */
export function withOverrides(
  base: NodeJS.ProcessEnv,
  overrides: Record<string, string | undefined>,
): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** The environment that points the CLI at the stack (and at no Grafana). */
export function cliEnv(
  stack: StackInfo,
  overrides: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  const env = {
    ...envWithoutTargets(),
    SHOPFAST_API_URL: stack.urls.api,
    SHOPFAST_FRONTEND_URL: stack.urls.frontend,
    SHOPFAST_PAYMENT_URL: stack.urls.payment,
    SHOPFAST_INVENTORY_URL: stack.urls.inventory,
    PROMETHEUS_URL: stack.prometheusUrl ?? unreachableUrl,
    LOKI_URL: stack.lokiUrl ?? unreachableUrl,
    GRAFANA_URL: unreachableUrl,
    DATABASE_URL: stack.databaseUrl,
    ADMIN_TOKEN: stack.adminToken,
  };
  return withOverrides(env, overrides);
}
