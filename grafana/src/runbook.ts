// Runbook links. The frontend serves TROUBLESHOOTING.md under /docs/, which works offline, but
// where the shop is differs: http://localhost:8081 on a laptop (compose, native), the attendee's
// own host on the workshop cluster. Grafana 12 reads provisioned annotations raw (no environment
// variables) and does not put the rule's own labels into the annotation's $labels (only the
// query's series and alertname/grafana_folder: ngalert/state/cache.go), so neither can carry it.
// What annotation templates do get is `externalURL`, Grafana's root_url, which every stack sets.
// On the cluster Grafana is served under /grafana/ on the attendee's host, next to the shop, so
// the template takes the shop from there; anywhere else the shop is at its laptop address.

/** Where the shop runs when Grafana is not served under /grafana/: compose and the native runner. */
export const laptopShopUrl = 'http://localhost:8081/';

/** The sub-path Grafana is served under on the workshop cluster, on the same host as the shop. */
export const grafanaSubPath = 'grafana/';

const docsPath = 'docs/TROUBLESHOOTING.md';

/** Go template (Grafana's annotation templating) that prints the shop's base URL, ending in "/". */
const shopBaseTemplate =
  `{{ if match "/${grafanaSubPath}?$" externalURL }}` +
  `{{ reReplaceAll "${grafanaSubPath}?$" "" externalURL }}` +
  `{{ else }}${laptopShopUrl}{{ end }}`;

/** The runbook_url annotation: a template Grafana expands into the runbook's URL for this stack. */
export function runbookUrl(anchor: string): string {
  return `${shopBaseTemplate}${docsPath}#${anchor}`;
}

/** The anchor of a runbook_url annotation, or undefined when it is not one of ours. */
export function runbookAnchor(annotation: string): string | undefined {
  const prefix = `${shopBaseTemplate}${docsPath}#`;
  return annotation.startsWith(prefix) ? annotation.slice(prefix.length) : undefined;
}
