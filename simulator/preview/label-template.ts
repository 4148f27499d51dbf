// Rule label templates, as Grafana expands them per alert instance (ngalert/state/cache.go
// expandAnnotationsAndLabels → state/template). Only the forms the rules use are understood:
// `{{ $labels.name }}` and `{{ index $labels "name" }}`, with Go's `{{-`/`-}}` trimming. Anything
// else inside `{{ }}` is reported as unsupported rather than expanded wrongly.
import type { Labels } from './values.ts';

const action = /(\s*)\{\{(-?)\s*(.*?)\s*(-?)\}\}(\s*)/gs;
const labelReference = /^(?:\$labels\.([A-Za-z_][A-Za-z0-9_]*)|index \$labels "([^"\\]*)")$/;

/** Why the preview cannot expand this template, or null when it can. */
export function unsupportedTemplate(template: string): string | null {
  for (const match of template.matchAll(action)) {
    if (!labelReference.test(match[3] ?? '')) return `the label template {{ ${match[3]} }}`;
  }
  return null;
}

/**
 * Expands the template with the instance's query labels. A label the series lacks expands to
 * "" (seen on the Docker stack: the Prometheus self-scrape series gave `service=""`).
 */
export function expandTemplate(template: string, labels: Labels): string {
  return template.replace(
    action,
    (_whole, before: string, trimLeft, body: string, trimRight, after: string) => {
      const [, dotted, indexed] = labelReference.exec(body) ?? [];
      const value = labels[dotted ?? indexed ?? ''] ?? '';
      return `${trimLeft ? '' : before}${value}${trimRight ? '' : after}`;
    },
  );
}
