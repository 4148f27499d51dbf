// Runbook links. The frontend serves TROUBLESHOOTING.md under /docs/, which works offline, but
// where the shop is differs: http://localhost:8081 on a laptop by default, another port when .env
// moves FRONTEND_PORT, the attendee's own host on the workshop cluster. Grafana 12.3 reads a
// provisioned rule's annotations raw, without environment variables
// (pkg/services/provisioning/alerting/rules_types.go), and an annotation template sees only the
// query's labels plus alertname, grafana_folder and the rule's uids, not the rule's own labels
// (ngalert/state/cache.go, expandAnnotationsAndLabels: template.NewData(mergeLabels(extraLabels,
// resultLabels))), so neither can carry the port. What templates do get is `externalURL`,
// Grafana's root_url. On the cluster Grafana is served under /grafana/ on the attendee's host, next
// to the shop, so the template takes the shop from there; anywhere else it falls back to the laptop
// address written below, which on the Docker stack grafana/docker-entrypoint.sh rewrites to
// FRONTEND_PORT in a copy of the provisioning before Grafana starts.
import { defaultUrl } from '../../domain/services.ts';

/** Where the shop runs when Grafana is not served under /grafana/: compose's and the native runner's default. */
export const laptopShopUrl = `${defaultUrl('frontend')}/`;

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
