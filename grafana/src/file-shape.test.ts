import {
  ContactPointBuilder,
  NotificationPolicyBuilder,
  QueryBuilder,
  RuleBuilder,
  RuleGroupBuilder,
} from '@grafana/grafana-foundation-sdk/alerting';
import { TypeReduceBuilder } from '@grafana/grafana-foundation-sdk/expr';
import { DataqueryBuilder as PrometheusQueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { describe, expect, it } from 'vitest';
import { toContactPointsDocument, toFileQuery, toFileRuleGroup, toPoliciesDocument } from './file-shape.ts';
import { envRef } from './provisioning-strings.ts';

function sampleRule(): RuleBuilder {
  return new RuleBuilder('Sample rule')
    .uid('sample')
    .condition('B')
    .forDuration('30s')
    .keepFiringFor('1m')
    .missingSeriesEvalsToResolve(2)
    .noDataState('OK')
    .execErrState('Error')
    .folderUID('ignored-folder-uid')
    .ruleGroup('ignored-group')
    .orgID(7)
    .labels({ service: '{{ $labels.service }}' })
    .annotations({ description: 'value {{ $values.B.Value }}' })
    .withQuery(
      new QueryBuilder('A')
        .datasourceUid('prometheus')
        .relativeTimeRange({ from: 600, to: 0 })
        .model(new PrometheusQueryBuilder().refId('A').expr('up').instant()),
    )
    .withQuery(
      new QueryBuilder('B')
        .datasourceUid('__expr__')
        .model(new TypeReduceBuilder().refId('B').expression('A').reducer('last')),
    );
}

describe('HTTP-API shape → file-provisioning shape', () => {
  const group = new RuleGroupBuilder('shop')
    .folderUid('ShopFast')
    .interval(10)
    .withRule(sampleRule())
    .build();

  it('names the group, its folder by title, and writes the interval as a duration', () => {
    const file = toFileRuleGroup({ ...group, rules: [] });
    expect(file).toEqual({ orgId: 1, name: 'shop', folder: 'ShopFast', interval: '10s', rules: [] });
  });

  it('drops the API-only rule fields and renames the snake/camel case ones', () => {
    const [rule] = toFileRuleGroup(group).rules;
    expect(rule).toBeDefined();
    expect(Object.keys(rule ?? {}).sort()).toEqual([
      'annotations',
      'condition',
      'data',
      'execErrState',
      'for',
      'keepFiringFor',
      'labels',
      'missing_series_evals_to_resolve',
      'noDataState',
      'title',
      'uid',
    ]);
    expect(rule?.keepFiringFor).toBe('1m');
    expect(rule?.missing_series_evals_to_resolve).toBe(2);
  });

  it("moves the API's panel-link annotations into the file's dashboardUid and panelId fields", () => {
    const linked = sampleRule().annotations({
      summary: 'slow',
      __dashboardUid__: 'shopfast-overview',
      __panelId__: '4',
    });
    const [rule] = toFileRuleGroup(
      new RuleGroupBuilder('shop').folderUid('F').interval(10).withRule(linked).build(),
    ).rules;
    expect(rule).toMatchObject({
      dashboardUid: 'shopfast-overview',
      panelId: 4,
      annotations: { summary: 'slow' },
    });
    expect(Object.keys(rule?.annotations ?? {})).toEqual(['summary']);
    const halfLinked = sampleRule().annotations({ __panelId__: '4' });
    expect(() =>
      toFileRuleGroup(new RuleGroupBuilder('shop').folderUid('F').interval(10).withRule(halfLinked).build()),
    ).toThrow(/both __dashboardUid__ and __panelId__/);
  });

  it('escapes $ where Grafana expands the environment (labels) and nowhere else', () => {
    const [rule] = toFileRuleGroup(group).rules;
    expect(rule?.labels).toEqual({ service: '{{ $$labels.service }}' });
    expect(rule?.annotations).toEqual({ description: 'value {{ $values.B.Value }}' });
  });

  it('gives expression queries a relativeTimeRange and strips the SDK marker functions from models', () => {
    const [, expression] = toFileRuleGroup(group).rules[0]?.data ?? [];
    expect(expression?.relativeTimeRange).toEqual({ from: 0, to: 0 });
    expect(expression?.model).toEqual({ refId: 'B', expression: 'A', reducer: 'last', type: 'reduce' });
    expect(JSON.stringify(expression)).not.toContain('_implementsDataqueryVariant');
  });

  it('refuses a rule without uid and a query without model', () => {
    const noUid = new RuleGroupBuilder('g')
      .folderUid('F')
      .interval(10)
      .withRule(new RuleBuilder('No uid'))
      .build();
    expect(() => toFileRuleGroup(noUid)).toThrow(/uid of rule "No uid" is required/);
    expect(() => toFileQuery({ refId: 'A', datasourceUid: 'prometheus' })).toThrow(
      /model of query A is required/,
    );
  });

  it('wraps a contact point in receivers and keeps environment references', () => {
    const contactPoint = new ContactPointBuilder()
      .name('shop-webhook')
      .uid('shop-webhook')
      .type('webhook')
      .settings({
        url: 'http://frontend:8081/api/alerts/webhook',
        headers: { 'X-Webhook-Secret': envRef('SECRET') },
      })
      .build();
    expect(toContactPointsDocument([contactPoint])).toEqual({
      apiVersion: 1,
      contactPoints: [
        {
          orgId: 1,
          name: 'shop-webhook',
          receivers: [
            {
              uid: 'shop-webhook',
              type: 'webhook',
              disableResolveMessage: false,
              settings: {
                url: 'http://frontend:8081/api/alerts/webhook',
                headers: { 'X-Webhook-Secret': '${SECRET}' },
              },
            },
          ],
        },
      ],
    });
  });

  it('puts the notification policy under policies with its org', () => {
    const policy = new NotificationPolicyBuilder().receiver('shop-webhook').groupWait('5s').build();
    expect(toPoliciesDocument(policy)).toEqual({
      apiVersion: 1,
      policies: [{ orgId: 1, receiver: 'shop-webhook', group_wait: '5s' }],
    });
  });
});
