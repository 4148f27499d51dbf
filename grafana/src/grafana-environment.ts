// The environment the Docker stack's Grafana starts with: its `environment:` in docker-compose.yml,
// interpolated as compose does from the shell and .env. Provisioning files read variables from it,
// so the lint can tell a setting that will expand to "" before Grafana refuses to start.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseEnv } from 'node:util';
import { parse } from 'yaml';

/** Compose's `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?message}` and `$NAME`. */
export function interpolateCompose(text: string, env: Record<string, string | undefined>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced?: string, operator?: string, operand?: string, bare?: string) => {
      if (match === '$$') return '$';
      const value = env[braced ?? bare ?? ''];
      const unsetOrEmpty = operator?.startsWith(':') ? !value : value === undefined;
      // `:?` / `?` make compose refuse to start when unset; the value Grafana would see is then moot.
      if (unsetOrEmpty && operator?.endsWith('-')) return operand ?? '';
      return value ?? '';
    },
  );
}

/** Grafana's environment on the Docker stack, given the shell's environment and the .env file. */
export function grafanaEnvironment(
  composeFile: string,
  dotEnvFile: string,
  shellEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const dotEnv = existsSync(dotEnvFile) ? parseEnv(readFileSync(dotEnvFile, 'utf8')) : {};
  // The shell wins over .env, as with docker compose.
  const env = { ...dotEnv, ...shellEnv };
  const compose = parse(readFileSync(composeFile, 'utf8')) as {
    services?: { grafana?: { environment?: Record<string, unknown> | string[] } };
  };
  const declared = compose.services?.grafana?.environment ?? {};
  const entries = Array.isArray(declared)
    ? declared.map((line) => {
        const [name = '', ...value] = line.split('=');
        return [name, value.length > 0 ? value.join('=') : `\${${name}}`] as const;
      })
    : Object.entries(declared).map(([name, value]) => [name, String(value ?? '')] as const);
  const interpolated = entries.map(([name, value]) => [name, interpolateCompose(value, env)] as const);
  // Secrets reach Grafana as files of the stack's `secrets` service, each named after its secret: a
  // <NAME>_FILE becomes NAME before Grafana starts (docker/secret-files-env.sh), holding the value
  // .env or the shell sets, else one that service made (never empty).
  const fromFiles = interpolated
    .filter(([name]) => /[^_]_FILE$/.test(name))
    .map(([name, path]) => {
      const secret = basename(path);
      return [name.slice(0, -'_FILE'.length), env[secret] || `(made by the secrets service: ${secret})`];
    });
  return Object.fromEntries([...interpolated, ...fromFiles]);
}
