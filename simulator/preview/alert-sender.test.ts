import { describe, expect, it } from 'vitest';
import type { PostableAlert } from '../clients/alertmanager-client.ts';
import { testRule } from '../testing/test-rule.ts';
import { humanize, sendPreviewAlerts, type PreviewInstances } from './alert-sender.ts';
import type { AlertInstance, InstanceState } from './instance-states.ts';
import type { RuleEvaluationEvent } from './rule-preview.ts';

const rule = testRule({
  uid: 'high-cpu',
  title: 'High CPU',
  labels: { severity: 'warning' },
  annotations: { description: 'CPU on {{ $labels.service }}: {{ humanize $values.B.Value }}' },
});
const t0 = 1_700_000_000_000;

/** A preview whose one instance (service=api) is in the state the test sets before each tick. */
function fakePreview() {
  let listener: ((event: RuleEvaluationEvent) => void) | undefined;
  let instance: AlertInstance | undefined;
  const preview: PreviewInstances = {
    rules: () => [rule],
    instances: () => (instance ? [instance] : []),
    onEvaluation: (l) => ((listener = l), () => (listener = undefined)),
  };
  return {
    preview,
    tick(atMs: number, state: InstanceState | 'gone', sinceMs = t0, value = 0.93) {
      instance =
        state === 'gone'
          ? undefined
          : {
              labels: { service: 'api', severity: 'warning' },
              resultKey: '',
              state,
              reason: '',
              sinceMs,
              lastEvaluatedMs: atMs,
              value,
            };
      listener?.({ uid: rule.uid, atMs, state: 'Normal' });
    },
  };
}

function sender() {
  const posts: PostableAlert[][] = [];
  const fake = fakePreview();
  const stop = sendPreviewAlerts(fake.preview, {
    post: async (alerts) => void posts.push(alerts),
    folder: 'ShopFast',
    intervalSeconds: 10,
    grafanaUrl: 'http://grafana:3000',
    frontendUrl: 'http://shop:8081',
  });
  return { posts, tick: fake.tick, stop };
}

describe('the preview posting to an Alertmanager as Grafana’s ruler does', () => {
  it('never posts Pending; posts Alerting with Grafana’s labels, annotations and times', () => {
    const { posts, tick } = sender();
    tick(t0, 'Pending');
    expect(posts).toEqual([]);
    tick(t0 + 10_000, 'Alerting', t0 + 10_000);
    expect(posts).toHaveLength(1);
    expect(posts[0]![0]).toEqual({
      labels: {
        service: 'api',
        severity: 'warning',
        alertname: 'High CPU',
        grafana_folder: 'ShopFast',
        __alert_rule_uid__: 'high-cpu',
      },
      annotations: {
        description: 'CPU on api: 930m',
        runbook_url: 'http://shop:8081/docs/TROUBLESHOOTING.md#high-cpu',
        __value_string__: '[ value=0.93 ]',
      },
      startsAt: new Date(t0 + 10_000).toISOString(),
      // nextEndsTime: evaluation + 4 × max(ResendDelay 30 s, interval 10 s)
      endsAt: new Date(t0 + 10_000 + 120_000).toISOString(),
      generatorURL: 'http://grafana:3000/alerting/grafana/high-cpu/view',
    });
  });

  it('re-posts an active alert every 30 s, not at every evaluation; Recovering is still active', () => {
    const { posts, tick } = sender();
    for (let s = 0; s <= 60; s += 10) tick(t0 + s * 1000, s < 40 ? 'Alerting' : 'Recovering');
    expect(posts.map((batch) => batch[0]!.endsAt)).toEqual([
      new Date(t0 + 120_000).toISOString(),
      new Date(t0 + 30_000 + 120_000).toISOString(),
      new Date(t0 + 60_000 + 120_000).toISOString(),
    ]);
  });

  it('posts the resolve at once with endsAt = the evaluation, then for the retention every 30 s', () => {
    const { posts, tick } = sender();
    tick(t0, 'Alerting');
    tick(t0 + 10_000, 'Normal');
    expect(posts).toHaveLength(2);
    expect(posts[1]![0]!.endsAt).toBe(new Date(t0 + 10_000).toISOString());
    tick(t0 + 20_000, 'gone');
    expect(posts).toHaveLength(2);
    tick(t0 + 40_000, 'gone');
    expect(posts).toHaveLength(3);
    tick(t0 + 16 * 60_000, 'gone'); // past resolved_alert_retention: forgotten
    tick(t0 + 17 * 60_000, 'gone');
    expect(posts).toHaveLength(3);
  });

  it('posts NoData as its own alert (DatasourceNoData, the rule name in rulename)', () => {
    const { posts, tick } = sender();
    tick(t0, 'NoData');
    expect(posts[0]![0]!.labels).toMatchObject({ alertname: 'DatasourceNoData', rulename: 'High CPU' });
  });

  it('stops when asked', () => {
    const { posts, tick, stop } = sender();
    stop();
    tick(t0, 'Alerting');
    expect(posts).toEqual([]);
  });
});

describe('humanize', () => {
  it.each([
    [0.93, '930m'],
    [1234, '1.234k'],
    [5, '5'],
    [0, '0'],
    [0.0001234, '123.4u'],
  ])('%s → %s', (value, text) => expect(humanize(value)).toBe(text));
});
