// Grafana expands `$VAR` and `${VAR}` in the string fields of provisioning files (data sources,
// alerting, dashboard providers), so a literal `$` — as in `{{ $labels.service }}` — must be
// written `$$`. Code asks for an environment variable with envRef() and writes every other
// string literally; toProvisioningValue() escapes the literals and turns the references into
// `${NAME}`.

const envStart = '\u0000env:';
const envEnd = '\u0000';
const envPattern = /\u0000env:([A-Z][A-Z0-9_]*)\u0000/g;

/** A string that Grafana replaces by the value of the environment variable `name`. */
export function envRef(name: string): string {
  if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`not an environment variable name: ${name}`);
  return `${envStart}${name}${envEnd}`;
}

function escapeString(text: string): string {
  return text.replace(/\$/g, () => '$$').replace(envPattern, (_match, name: string) => `\${${name}}`);
}

/** Deep copy of `value` with every string ready for a provisioning file. */
export function toProvisioningValue<T>(value: T): T {
  if (typeof value === 'string') return escapeString(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => toProvisioningValue(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, toProvisioningValue(item as unknown)]),
    ) as T;
  }
  return value;
}
