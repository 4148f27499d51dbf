import { nativeStackTargets, type NativeStackTargets } from '../scripts/native/simulator-targets.ts';
import type { StackInfo } from '../scripts/native/stack.ts';

/** The environment a CLI run sees: which stack it targets, for a child process or an in-process run. */

export { unreachableUrl } from '../scripts/native/simulator-targets.ts';

/** Each target flag and the variable that stands for it when the flag is not given. */
const targetVariables = {
  apiUrl: 'SHOPFAST_API_URL',
  frontendUrl: 'SHOPFAST_FRONTEND_URL',
  paymentUrl: 'SHOPFAST_PAYMENT_URL',
  inventoryUrl: 'SHOPFAST_INVENTORY_URL',
  prometheusUrl: 'PROMETHEUS_URL',
  lokiUrl: 'LOKI_URL',
  grafanaUrl: 'GRAFANA_URL',
  databaseUrl: 'DATABASE_URL',
  grafanaUser: 'GRAFANA_USER',
  grafanaPassword: 'GRAFANA_PASSWORD',
  adminToken: 'ADMIN_TOKEN',
} satisfies Record<keyof NativeStackTargets | 'grafanaUser' | 'grafanaPassword', string>;

/** This process's environment without any variable that names a target: the CLI's own defaults and files decide. */
export function envWithoutTargets(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.values(targetVariables)) delete env[name];
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
  const targets = Object.entries(nativeStackTargets(stack)) as [keyof NativeStackTargets, string][];
  const env = {
    ...envWithoutTargets(),
    ...Object.fromEntries(targets.map(([flag, value]) => [targetVariables[flag], value])),
  };
  return withOverrides(env, overrides);
}
