import type { AlertDefinition } from '../../domain/alerts.ts';

// Who gets told, and when: the one notification design. Grafana's provisioning
// (notifications-grafana.ts) and the upstream Alertmanager's alertmanager.yml
// (notifications-alertmanager.ts) are both rendered from it, and receiversFor() answers, as
// Alertmanager's router does, which receivers an alert's labels reach.

/** A label matcher as Alertmanager writes it (`name="value"`); regular expressions are anchored. */
export interface LabelMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface Receiver {
  name: string;
  /** Who this is, for the docs and the room. */
  story: string;
}

export interface Route {
  /** Every matcher must hold; the root route has none. */
  matchers: LabelMatcher[];
  /** Inherited from the parent when unset. */
  receiver?: string;
  /** Which labels make one notification: inherited when unset; ['...'] is one per alert instance. */
  groupBy?: string[];
  groupWaitSeconds?: number;
  groupIntervalSeconds?: number;
  repeatIntervalSeconds?: number;
  /** Names of time intervals during which this route's notifications are held back. */
  muteTimeIntervals?: string[];
  /** Keep matching the following sibling routes after this one matched. */
  continue?: boolean;
  routes?: Route[];
  /** Why the route is there and chose what it chose. */
  why: string;
}

/** One recurring window, in Alertmanager's time-interval vocabulary (the same in Grafana). */
export interface TimeWindow {
  /** "HH:MM" pairs, end exclusive. */
  times?: { startTime: string; endTime: string }[];
  /** Day names or ranges such as "monday:friday". */
  weekdays?: string[];
  /** An IANA zone; UTC when unset. */
  location?: string;
}

export interface TimeInterval {
  name: string;
  windows: TimeWindow[];
  why: string;
}

export interface NotificationDesign {
  receivers: Receiver[];
  route: Route;
  timeIntervals: TimeInterval[];
}

export interface NotificationOptions {
  /** Adds the Slack receiver and a route to it; its URL comes from SLACK_WEBHOOK_URL. */
  slack: boolean;
}

export const receiverNames = {
  onCall: 'on-call',
  shopTeam: 'shop-team',
  merchandising: 'merchandising',
  slack: 'shop-slack',
} as const;

/** The labels the routes read; every rule carries them (rules.ts). */
export const routingLabels = { severity: 'severity', team: 'team' } as const;
/** The teams of the alert catalog (domain/alerts.ts), each alert's `team` label. */
export const teams = { shop: 'shop', merchandising: 'merchandising' } as const satisfies Record<
  string,
  AlertDefinition['team']
>;

export const deployWindow = 'nightly-deploy';

/**
 * Stage timings, read by the docs and the rehearsal. group_wait 5 s: all rules of the group are
 * evaluated on the same 10 s tick, so the instances one evaluation fires reach Alertmanager
 * within milliseconds of each other; 5 s gathers them into one notification and is still short
 * enough for the room to see the status page change right after Grafana shows Firing.
 */
export const groupWaitSeconds = 5;
/**
 * group_interval 10 s, one evaluation interval: after a group's first notification, a change to
 * it (an instance fires or resolves) waits for the group's next flush, so a resolved alert is
 * heard at most 10 s after it turned Normal. Grafana's default (5 m) would keep the room
 * waiting five minutes for the green.
 */
export const groupIntervalSeconds = 10;
/**
 * repeat_interval 4 h (Grafana's default): longer than any talk or workshop, so an alert that
 * stays firing is never announced twice on stage.
 */
export const repeatIntervalSeconds = 4 * 3600;
/** Pages come back sooner: an unanswered page is repeated within the hour. */
export const pageRepeatIntervalSeconds = 3600;

const equals = (label: string, value: string): LabelMatcher => ({ label, op: '=', value });

const receivers: Receiver[] = [
  {
    name: receiverNames.onCall,
    story: 'the engineer on call: paged for every critical alert, whoever owns it',
  },
  {
    name: receiverNames.shopTeam,
    story: 'the shop team’s channel: every alert of the services they run, and anything nobody else claims',
  },
  {
    name: receiverNames.merchandising,
    story: 'merchandising: stock running low or out, so they can restock or pull a promotion',
  },
];

const nightlyDeploy: TimeInterval = {
  name: deployWindow,
  windows: [{ times: [{ startTime: '02:00', endTime: '02:30' }], location: 'UTC' }],
  why:
    'The nightly deploy restarts the services between 02:00 and 02:30 UTC: CPU spikes and slow ' +
    'responses then are expected, and the shop team does not want to hear of them.',
};

function routeTree(options: NotificationOptions): Route {
  const routes: Route[] = [
    {
      matchers: [equals(routingLabels.severity, 'critical')],
      receiver: receiverNames.onCall,
      groupBy: ['alertname'],
      repeatIntervalSeconds: pageRepeatIntervalSeconds,
      continue: true,
      why:
        'Every critical alert pages the on-call engineer, one page per alert rule listing every ' +
        'instance (a payment outage that also breaks the api is one page, not two). `continue` ' +
        'lets the owning team hear of it too.',
    },
    {
      matchers: [equals(routingLabels.team, teams.merchandising)],
      receiver: receiverNames.merchandising,
      groupBy: ['...'],
      why:
        'Merchandising hears of every stock alert, one notification per product: each low SKU is ' +
        'a restock of its own.',
    },
    {
      matchers: [equals(routingLabels.team, teams.shop)],
      receiver: receiverNames.shopTeam,
      groupBy: ['service'],
      why:
        'The shop team fixes services, so it hears per service: the api’s high CPU and its slow ' +
        'responses arrive as one message.',
      routes: [
        {
          matchers: [equals(routingLabels.severity, 'warning')],
          muteTimeIntervals: [deployWindow],
          why:
            'Warnings during the nightly deploy are the deploy: muted then. Critical alerts are ' +
            'never muted, and the page to on-call goes out whatever the hour.',
        },
      ],
    },
  ];
  if (options.slack) {
    routes.unshift({
      matchers: [],
      receiver: receiverNames.slack,
      continue: true,
      why: 'Slack, when configured, sees everything; the routes below still decide who is told.',
    });
  }
  return {
    matchers: [],
    receiver: receiverNames.shopTeam,
    // Grafana's own default: one notification per alert rule (and folder).
    groupBy: ['grafana_folder', 'alertname'],
    groupWaitSeconds,
    groupIntervalSeconds,
    repeatIntervalSeconds,
    why: 'An alert no route claims still reaches the shop team.',
    routes,
  };
}

export function notificationDesign(options: NotificationOptions): NotificationDesign {
  const slack: Receiver = { name: receiverNames.slack, story: 'the team’s Slack channel, when configured' };
  return {
    receivers: options.slack ? [...receivers, slack] : receivers,
    route: routeTree(options),
    timeIntervals: [nightlyDeploy],
  };
}

/**
 * A time interval in Alertmanager's configuration format (`start_time`, `weekdays:
 * ["monday:friday"]`), which Grafana's provisioned mute timings take as they are
 * (mute_times_types.go reads definitions.MuteTimeInterval inline).
 */
export function toTimeIntervalConfig(interval: TimeInterval): object {
  return {
    name: interval.name,
    time_intervals: interval.windows.map((window) => ({
      ...(window.times
        ? { times: window.times.map((t) => ({ start_time: t.startTime, end_time: t.endTime })) }
        : {}),
      ...(window.weekdays ? { weekdays: window.weekdays } : {}),
      ...(window.location ? { location: window.location } : {}),
    })),
  };
}

/** Every route of the tree with its place in it (root, root.1, root.1.2...), parents first. */
export function* routesOf(route: Route, path = 'root'): Generator<{ route: Route; path: string }> {
  yield { route, path };
  for (const [index, child] of (route.routes ?? []).entries()) yield* routesOf(child, `${path}.${index + 1}`);
}

function matches(matcher: LabelMatcher, labels: Record<string, string>): boolean {
  // Alertmanager reads a missing label as "", and anchors regular expressions.
  const value = labels[matcher.label] ?? '';
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return new RegExp(`^(?:${matcher.value})$`).test(value);
    case '!~':
      return !new RegExp(`^(?:${matcher.value})$`).test(value);
  }
}

/** The routes an alert ends on, as Alertmanager's dispatch/route.go `Route.Match` finds them. */
function matchingRoutes(route: Route, labels: Record<string, string>, receiver: string): string[] {
  if (!route.matchers.every((matcher) => matches(matcher, labels))) return [];
  const own = route.receiver ?? receiver;
  const found: string[] = [];
  for (const child of route.routes ?? []) {
    const matched = matchingRoutes(child, labels, own);
    found.push(...matched);
    if (matched.length > 0 && !child.continue) break;
  }
  return found.length > 0 ? found : [own];
}

/**
 * The receivers an alert with these labels is delivered to, one per route it ends on, in routing
 * order (as `amtool config routes test` lists them: a receiver two routes reach is told twice).
 */
export function receiversFor(
  labels: Record<string, string>,
  options: NotificationOptions = { slack: false },
): string[] {
  const { route } = notificationDesign(options);
  return matchingRoutes(route, labels, route.receiver ?? '');
}
