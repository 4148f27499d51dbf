// Runbook links. Grafana 12 does not expand environment variables in provisioned annotations,
// so the base is fixed: the frontend serves TROUBLESHOOTING.md, which works offline on stage.
export const runbookBaseUrl = 'http://localhost:8081/docs/TROUBLESHOOTING.md';

export function runbookUrl(anchor: string): string {
  return `${runbookBaseUrl}#${anchor}`;
}

/** The anchor of a runbook URL, or undefined when the URL is not one of ours. */
export function runbookAnchor(url: string): string | undefined {
  const prefix = `${runbookBaseUrl}#`;
  return url.startsWith(prefix) ? url.slice(prefix.length) : undefined;
}
