// The notification templates every receiver uses: one title and one body naming each alert, its
// instance, its value, its runbook and its panel. Grafana's embedded Alertmanager and upstream
// Alertmanager 0.25 parse the same Go templates, with two differences this text keeps clear of:
// - functions: only upstream's DefaultFuncs of 0.25 (toUpper, match, stringSlice...; no
//   trimSpace, which came later) are used, so both parse it (grafana/alerting templates/funcs.go
//   takes upstream's DefaultFuncs and adds gomplate's);
// - data: Grafana's alerts carry PanelURL, Values and ValueString, upstream's do not, and Go
//   templates fail on a field the data lacks. The value therefore comes from the description
//   annotation (the rule writes it there), and only the panel link is defined per Alertmanager.

export type TemplateTarget = 'grafana' | 'alertmanager';

/** The name of Grafana's template group and of the upstream template file (without .tmpl). */
export const templateGroupName = 'shopfast';
export const titleTemplate = 'shopfast.title';
export const messageTemplate = 'shopfast.message';

/** What a contact point's title and message settings say: the shared templates. */
export const titleText = `{{ template "${titleTemplate}" . }}`;
export const messageText = `{{ template "${messageTemplate}" . }}`;

/** Labels every alert has or routing needs; the rest tell the instance apart (service, sku...). */
const notInstanceLabels = [
  'alertname',
  'grafana_folder',
  'severity',
  'team',
  '__alert_rule_uid__',
  '__alert_rule_namespace_uid__',
];

/** The address Grafana links its panels under on the Docker stack (GF_SERVER_ROOT_URL). */
export const grafanaUrl = 'http://localhost:3000';

/**
 * Grafana builds PanelURL from the rule's __dashboardUid__ / __panelId__ annotations and hides
 * those annotations from templates (grafana/alerting templates/template_data.go, extendAlert and
 * removePrivateItems); upstream passes the annotations through, so its link is built from them.
 */
const panelLink: Record<TemplateTarget, string> = {
  grafana: '{{ with .PanelURL }}\nPanel: {{ . }}{{ end }}',
  alertmanager:
    `{{ with .Annotations.__dashboardUid__ }}\nPanel: ${grafanaUrl}/d/{{ . }}` +
    '?orgId=1&viewPanel={{ $.Annotations.__panelId__ }}{{ end }}',
};

const quoted = (names: string[]) => names.map((name) => `"${name}"`).join(' ');

/** The template file: `{{ define }}` blocks only, as both Alertmanagers read them. */
export function notificationTemplates(target: TemplateTarget): string {
  return [
    '{{/* The instance: the labels that tell it apart, e.g. " service=api". */}}',
    '{{ define "shopfast.instance" -}}',
    `{{ range (.Labels.Remove (stringSlice ${quoted(notInstanceLabels)})).SortedPairs }} {{ .Name }}={{ .Value }}{{ end }}`,
    '{{- end }}',
    '',
    '{{ define "shopfast.panel" -}}',
    panelLink[target],
    '{{- end }}',
    '',
    '{{/* One alert: what, where, how bad, the value, and where to look. */}}',
    '{{ define "shopfast.alert" -}}',
    '{{ .Status | toUpper }} {{ .Labels.alertname }}{{ template "shopfast.instance" . }} ({{ .Labels.severity }})',
    '{{ with .Annotations.description }}{{ . }}{{ else }}{{ .Annotations.summary }}{{ end }}' +
      '{{ with .Annotations.runbook_url }}',
    'Runbook: {{ . }}{{ end }}{{ template "shopfast.panel" . }}',
    '{{- end }}',
    '',
    '{{/* "[FIRING:2] High error rate → on-call": status, count, what, and who is told. */}}',
    `{{ define "${titleTemplate}" -}}`,
    '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] ' +
      '{{ with .CommonLabels.alertname }}{{ . }}{{ else }}{{ .Alerts | len }} alerts{{ end }}' +
      '{{ with .CommonLabels.service }} on {{ . }}{{ end }} → {{ .Receiver }}',
    '{{- end }}',
    '',
    `{{ define "${messageTemplate}" -}}`,
    '{{ range $index, $alert := .Alerts }}{{ if $index }}',
    '',
    '{{ end }}{{ template "shopfast.alert" $alert }}{{ end }}',
    '{{- end }}',
    '',
  ].join('\n');
}
