import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertCatalog } from '../../domain/alerts.ts';
import { alertmanagerConfig, defaultTarget } from './notifications-alertmanager.ts';
import {
  deployWindow,
  notificationDesign,
  receiversFor,
  routesOf,
  type NotificationOptions,
} from './notifications.ts';
import { renderProvisioning } from './render.ts';
import { alertInstanceLabels } from './rules.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One route as both renderings must agree on it: matchers as `name="value"` strings. */
interface ComparableRoute {
  matchers: string[];
  receiver?: string;
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  mute_time_intervals?: string[];
  continue: boolean;
  routes: ComparableRoute[];
}

function comparable(route: Json, matchersOf: (route: Json) => string[]): ComparableRoute {
  const optional = ['receiver', 'group_by', 'group_wait', 'group_interval', 'repeat_interval'] as const;
  return {
    matchers: matchersOf(route),
    ...Object.fromEntries(optional.filter((key) => route[key] !== undefined).map((key) => [key, route[key]])),
    ...(route.mute_time_intervals ? { mute_time_intervals: route.mute_time_intervals } : {}),
    continue: route.continue === true,
    routes: ((route.routes ?? []) as Json[]).map((child) => comparable(child, matchersOf)),
  };
}

/** Grafana writes `[label, op, value]`; Go quotes the value as JSON does for these strings. */
const grafanaMatchers = (route: Json): string[] =>
  ((route.object_matchers ?? []) as string[][]).map(
    ([label, op, value]) => `${label}${op}${JSON.stringify(value)}`,
  );
const upstreamMatchers = (route: Json): string[] => (route.matchers ?? []) as string[];

function renderings(options: NotificationOptions) {
  const files = renderProvisioning(options);
  const grafana = (file: string) => parse(files.get(`alerting/${file}`) ?? '') as Json;
  return {
    grafana: {
      route: grafana('policies.yaml').policies[0] as Json,
      receivers: (grafana('contact-points.yaml').contactPoints as Json[]).map((c) => c.name as string),
      timeIntervals: (grafana('mute-timings.yaml').muteTimes as Json[]).map(
        ({ orgId: _orgId, ...rest }) => rest,
      ),
    },
    // Through YAML as written, so quoting survives the round trip as Alertmanager reads it.
    upstream: parse(JSON.stringify(alertmanagerConfig(options, defaultTarget))) as Json,
  };
}

describe.each([{ slack: false }, { slack: true }])('Grafana and Alertmanager renderings (%o)', (options) => {
  const { grafana, upstream } = renderings(options);

  it('agree route by route: matchers, receiver, grouping, timings, mute timings, continue', () => {
    expect(comparable(upstream.route, upstreamMatchers)).toEqual(comparable(grafana.route, grafanaMatchers));
  });

  it('name the same receivers and time intervals', () => {
    expect((upstream.receivers as Json[]).map((r) => r.name)).toEqual(grafana.receivers);
    expect(upstream.time_intervals).toEqual(grafana.timeIntervals);
  });

  it('would disagree on a changed route (the comparison can fail)', () => {
    const changed = structuredClone(upstream.route);
    changed.routes.at(-1).routes[0].mute_time_intervals = [];
    expect(comparable(changed, upstreamMatchers)).not.toEqual(comparable(grafana.route, grafanaMatchers));
  });
});

describe('the notification design', () => {
  const design = notificationDesign({ slack: false });

  it('names only receivers and time intervals it declares', () => {
    const receivers = new Set(design.receivers.map((receiver) => receiver.name));
    const intervals = new Set(design.timeIntervals.map((interval) => interval.name));
    for (const { route, path } of routesOf(design.route)) {
      if (route.receiver) expect(receivers.has(route.receiver), path).toBe(true);
      for (const name of route.muteTimeIntervals ?? []) expect(intervals.has(name), path).toBe(true);
      expect(route.why.length, path).toBeGreaterThan(20);
    }
  });

  it('has a root that every alert passes, as Alertmanager requires', () => {
    expect(design.route.matchers).toEqual([]);
    expect(design.route.receiver).toBeDefined();
    expect(design.route.continue).toBeFalsy();
    expect(design.route.muteTimeIntervals).toBeUndefined();
  });

  it('mutes one route during the nightly deploy', () => {
    const muted = [...routesOf(design.route)].filter(({ route }) =>
      route.muteTimeIntervals?.includes(deployWindow),
    );
    expect(muted).toHaveLength(1);
  });
});

describe('receiversFor', () => {
  it.each([
    [
      'a critical shop alert pages on-call and tells the shop team',
      { severity: 'critical', team: 'shop' },
      ['on-call', 'shop-team'],
    ],
    ['a shop warning goes to the shop team only', { severity: 'warning', team: 'shop' }, ['shop-team']],
    [
      'a stock warning goes to merchandising only',
      { severity: 'warning', team: 'merchandising' },
      ['merchandising'],
    ],
    [
      'a stock emergency pages on-call and tells merchandising',
      { severity: 'critical', team: 'merchandising' },
      ['on-call', 'merchandising'],
    ],
    ['an alert no route claims reaches the root receiver', { severity: 'info' }, ['shop-team']],
    [
      'a critical alert of no team pages on-call alone (a matched route ends the search)',
      { severity: 'critical' },
      ['on-call'],
    ],
  ])('%s', (_story, labels, receivers) => {
    expect(receiversFor(labels)).toEqual(receivers);
  });

  it('reads a missing label as "" and matches whole values only', () => {
    expect(receiversFor({ severity: 'critical-ish', team: 'shopping' })).toEqual(['shop-team']);
  });

  it('sends everything to Slack first when Slack is configured', () => {
    expect(receiversFor({ severity: 'warning', team: 'shop' }, { slack: true })).toEqual([
      'shop-slack',
      'shop-team',
    ]);
  });
});

describe('who is told of each alert in the catalog', () => {
  const told: Record<string, string[]> = {
    'high-cpu': ['shop-team'],
    'slow-responses': ['shop-team'],
    'high-error-rate': ['on-call', 'shop-team'],
    'payment-failures': ['on-call', 'shop-team'],
    'failed-logins': ['on-call', 'shop-team'],
    'low-inventory': ['merchandising'],
    'critical-inventory': ['on-call', 'merchandising'],
  };

  it('names every alert of the catalog', () => {
    expect(Object.keys(told).sort()).toEqual(alertCatalog.map((alert) => alert.uid).sort());
  });

  it.each(
    alertCatalog.flatMap((alert) =>
      Object.values(alert.firesIn)
        .flat()
        .map((instance) => [alert.uid, instance, alertInstanceLabels(alert, instance)] as const),
    ),
  )('%s %o', (uid, _instance, labels) => {
    expect(receiversFor(labels)).toEqual(told[uid]);
  });
});
