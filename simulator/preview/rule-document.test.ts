import { describe, expect, it } from 'vitest';
import {
  interpolate,
  parseRulesDocument,
  provisionedRuleGroups,
  RuleDocumentError,
} from './rule-document.ts';

function document(rule: Record<string, unknown>, group: Record<string, unknown> = {}) {
  const query = { refId: 'A', datasourceUid: 'prometheus', model: { expr: 'up' } };
  return {
    apiVersion: 1,
    groups: [
      {
        name: 'g',
        folder: 'f',
        interval: '10s',
        ...group,
        rules: [{ uid: 'r', title: 'R', condition: 'A', data: [query], ...rule }],
      },
    ],
  };
}

describe("Grafana's provisioning interpolation (values.interpolateValue)", () => {
  it.each([
    ['{{ $$labels.service }}', '{{ $labels.service }}'],
    ['{{ $labels.service }}', '{{ .service }}'], // unescaped: $labels is an (unset) variable
    ['${NAME}/x', 'value/x'],
    ['$NAME', 'value'],
    ['$$NAME', '$NAME'],
    ['$UNSET-', '-'],
    ['${}', ''],
    ['costs 5$', 'costs 5$'],
    ['a $ b', 'a $ b'],
  ])('%s → %s', (text, expected) => {
    expect(interpolate(text, { NAME: 'value' })).toBe(expected);
  });
});

describe('the rule document', () => {
  it('labels are interpolated, annotations and query models taken raw', () => {
    const [group] = provisionedRuleGroups({});
    const perService = group!.rules.find((r) => r.labels.service?.includes('$labels'));
    expect(perService?.labels.service).toBe('{{ $labels.service }}');
    expect(perService?.annotations.description).toContain('{{ $labels.service }}');
    const raw = parseRulesDocument(
      document({
        labels: { team: '$$x-${TEAM}' },
        annotations: { a: '${TEAM} $$' },
        data: [{ refId: 'A', datasourceUid: 'postgres', model: { rawSql: 'SELECT $1, $__timeFilter(t)' } }],
      }),
      { TEAM: 'shop' },
    );
    expect(raw[0]!.rules[0]).toMatchObject({
      labels: { team: '$x-shop' },
      annotations: { a: '${TEAM} $$' },
      data: [{ model: { rawSql: 'SELECT $1, $__timeFilter(t)' } }],
    });
  });

  it("takes Grafana's defaults for fields left out", () => {
    const [group] = parseRulesDocument(document({}), {});
    expect(group).toMatchObject({ name: 'g', folder: 'f', intervalSeconds: 10 });
    expect(group!.rules[0]).toMatchObject({
      forSeconds: 0,
      noDataState: 'NoData',
      execErrState: 'Alerting',
      missingSeriesEvalsToResolve: 2,
    });
    expect(group!.rules[0]!.unsupported).toBeUndefined();
  });

  it('reads durations, states and missing_series_evals_to_resolve', () => {
    const [group] = parseRulesDocument(
      document(
        { for: '1m30s', noDataState: 'KeepLast', execErrState: 'OK', missing_series_evals_to_resolve: 4 },
        { interval: '1m' },
      ),
      {},
    );
    expect(group).toMatchObject({ intervalSeconds: 60 });
    expect(group!.rules[0]).toMatchObject({
      forSeconds: 90,
      noDataState: 'KeepLast',
      execErrState: 'OK',
      missingSeriesEvalsToResolve: 4,
    });
  });

  it.each([
    [document({}, { interval: '15s' }), /not a multiple of 10s/],
    [document({ for: 'soon' }), /r for: "soon" is not a duration/],
    [document({ noDataState: 'Ok' }), /noDataState: "Ok" is not one of OK, NoData, Alerting, KeepLast/],
    [{ groups: [{ name: 'g' }] }, /not an alert rules document/],
  ])('refuses a document Grafana would not load (%#)', (doc, message) => {
    expect(() => parseRulesDocument(doc, {})).toThrow(RuleDocumentError);
    expect(() => parseRulesDocument(doc, {})).toThrow(message);
  });

  it.each([
    [{ isPaused: true }, /paused/],
    [{ labels: { v: '{{ $$value }}' } }, /label template \{\{ \$value \}\}/],
  ])('marks %j as not modelled, so it is not evaluated', (fields, reason) => {
    expect(parseRulesDocument(document(fields), {})[0]!.rules[0]!.unsupported).toMatch(reason);
  });

  it('reads keepFiringFor (camelCase, as rules_types.go AlertRuleV1 names it) in seconds', () => {
    expect(parseRulesDocument(document({ keepFiringFor: '1m' }), {})[0]!.rules[0]).toMatchObject({
      keepFiringForSeconds: 60,
    });
    expect(
      parseRulesDocument(document({ keepFiringFor: '1m' }), {})[0]!.rules[0]!.unsupported,
    ).toBeUndefined();
  });
});
