import { describe, expect, it } from 'vitest';
import { expandTemplate, unsupportedTemplate } from './label-template.ts';

describe('rule label templates', () => {
  it.each([
    ['{{ $labels.service }}', { service: 'api' }, 'api'],
    ['{{$labels.service}}', { service: 'api' }, 'api'],
    ['svc-{{ $labels.service }}!', { service: 'api' }, 'svc-api!'],
    ['a {{- $labels.service -}} b', { service: 'x' }, 'axb'],
    ['{{ index $labels "sku" }}', { sku: 'SF-1' }, 'SF-1'],
    ['{{ $labels.service }}', {}, ''],
    ['warning', { service: 'api' }, 'warning'],
  ])('%s with %j is %j', (template, labels, expected) => {
    expect(unsupportedTemplate(template)).toBeNull();
    expect(expandTemplate(template, labels)).toBe(expected);
  });

  it.each(['{{ $value }}', '{{ humanize $values.B.Value }}', '{{ if $labels.a }}x{{ end }}'])(
    'reports %s as unsupported',
    (template) => {
      expect(unsupportedTemplate(template)).toMatch(/^the label template \{\{ /);
    },
  );
});
