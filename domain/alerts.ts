// The alert catalog: the single source for the Grafana rules, the simulator and the docs.

import type { PhasedScenarioName } from './scenarios.ts';

export type DatasourceKind = 'prometheus' | 'loki' | 'postgres';

/**
 * Where the seconds between the incident's start and the alert firing in Grafana go, worst case.
 * Notifications add the policy's group_wait (5 s) on top.
 */
export interface FireTiming {
  /** Until the signal is queryable: Prometheus scrape interval, pino-loki batch interval, 0 for SQL. */
  signalDelaySeconds: number;
  /** Until the query's value crosses the threshold under the scenario's load. */
  windowFillSeconds: number;
  /** Worst-case wait for the next evaluation of the group (its interval). */
  evaluationWaitSeconds: number;
  /** The rule's pending period (`for`). */
  pendingSeconds: number;
}

/** Where the seconds between `reset` and the alert being Normal again go, worst case. */
export interface ResolveTiming {
  /** Until the signal shows the reset: the scrape interval for rates, 0 for logs and SQL. */
  signalDelaySeconds: number;
  /** Until the query's value is back on the healthy side of the threshold. */
  windowDrainSeconds: number;
  /** Worst-case wait for the next evaluation that finds the condition false. */
  evaluationWaitSeconds: number;
  /** The rule's keepFiringFor: Recovering this long after that evaluation, then Normal. */
  keepFiringForSeconds: number;
}

/**
 * How a rule avoids flapping (Grafana's calm recovery), and why this rule needs it:
 * - `recoverWhen`: a recovery threshold (the threshold expression's unloadEvaluator): once firing,
 *   the alert stays firing until the value crosses this second, lower line — for a signal that
 *   hovers at its threshold;
 * - `keepFiringForSeconds`: the alert shows Recovering this long after its condition clears and
 *   fires again at once if it returns — for a bursty signal with short gaps.
 */
export interface CalmRecovery {
  recoverWhen?: { op: 'gt' | 'lt'; value: number };
  keepFiringForSeconds?: number;
  why: string;
}

/** One alert instance by the values of the rule's instance labels ({} for a rule with one instance). */
export type InstanceLabels = Record<string, string>;

export interface AlertDefinition {
  uid: string;
  title: string;
  /** One line for docs and the simulator. */
  summary: string;
  datasource: DatasourceKind;
  /** Returns the raw value; the comparison lives in Grafana's threshold expression. */
  query: string;
  reducer: 'last' | 'max' | 'mean' | 'sum';
  threshold: { op: 'gt' | 'lt'; value: number };
  calmRecovery?: CalmRecovery;
  pendingPeriod: string;
  severity: 'critical' | 'warning';
  /**
   * Who owns it (rule label `team`): with severity, what the notification policy routes on
   * (grafana/src/notifications.ts; receiversFor() says who is told of an instance).
   */
  team: 'shop' | 'merchandising';
  /** Label value; 'all' when the query yields one series per service. */
  service: string;
  /** Labels that tell the query's series (alert instances) apart: one instance per value. */
  instanceLabels: string[];
  /** The scenarios that fire it, each with exactly the instances it fires ('all' is implied). */
  firesIn: Partial<Record<PhasedScenarioName, InstanceLabels[]>>;
  /** The keys of firesIn. */
  scenarios: PhasedScenarioName[];
  /** Worst case on the Docker stack, from the incident's start: the sum of `timing`. */
  expectedSecondsToFire: number;
  timing: FireTiming;
  /** A scenario whose load crosses the threshold sooner than `timing.windowFillSeconds` says. */
  windowFillIn?: Partial<Record<PhasedScenarioName, number>>;
  /** Worst case on the Docker stack, from `reset`: the sum of `resolveTiming`. */
  expectedSecondsToResolve: number;
  resolveTiming: ResolveTiming;
  /**
   * What returns the alert to Normal: the end of the scenario (its faults are undone and its signal
   * fades), or only `reset` (stock stays low until restocked; failed logins count for 5 minutes).
   */
  resolvedBy: 'scenario end' | 'reset';
  /** Why the resolve takes the time it does, for the runbook. */
  resolveNote: string;
  /** Anchor of the alert's section in TROUBLESHOOTING.md. */
  runbookAnchor: string;
}

export const ruleGroup = { name: 'shopfast-alerts', folder: 'ShopFast', intervalSeconds: 10 } as const;

/** Prometheus scrape interval (prometheus/prometheus.yml); pino-loki batch (1 s) plus the push; none for SQL. */
export const signalDelaySeconds: Record<DatasourceKind, number> = { prometheus: 5, loki: 2, postgres: 0 };
const scrapeSeconds = signalDelaySeconds.prometheus;
const lokiBatchSeconds = signalDelaySeconds.loki;
const evaluationWaitSeconds = ruleGroup.intervalSeconds;

/** A rate or ratio over Prometheus: two scrapes give it, then the 10 s pending period. */
const twoScrapesThenPending: FireTiming = {
  signalDelaySeconds: scrapeSeconds,
  windowFillSeconds: 2 * scrapeSeconds,
  evaluationWaitSeconds,
  pendingSeconds: 10,
};

/** Back on the healthy side once this share of the rate window has drained of the incident. */
function onceDrained(share: number, keepFiringForSeconds = 0): ResolveTiming {
  return {
    signalDelaySeconds: scrapeSeconds,
    windowDrainSeconds: share * rateWindowSeconds,
    evaluationWaitSeconds,
    keepFiringForSeconds,
  };
}

/** A row count read straight from PostgreSQL: healthy again at the next evaluation after the reset. */
const atNextEvaluation: ResolveTiming = {
  signalDelaySeconds: 0,
  windowDrainSeconds: 0,
  evaluationWaitSeconds,
  keepFiringForSeconds: 0,
};

/** Bursty signals (failures come in runs): Recovering for one evaluation before Normal. */
const burstyKeepFiringSeconds = 10;

/**
 * The window of the Prometheus rates: four 5 s scrapes, short enough to fire and resolve within
 * 45 s, long enough that one slow scrape does not flip a rule.
 */
export const rateWindowSeconds = 20;
/** The window of the Loki count: six failures in it mean a real outage, and it drains in 20 s. */
export const logWindowSeconds = 20;

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

type AlertInput = Omit<
  AlertDefinition,
  'expectedSecondsToFire' | 'expectedSecondsToResolve' | 'pendingPeriod' | 'runbookAnchor' | 'scenarios'
>;

function defineAlert(input: AlertInput): AlertDefinition {
  return {
    ...input,
    pendingPeriod: `${input.timing.pendingSeconds}s`,
    scenarios: Object.keys(input.firesIn) as PhasedScenarioName[],
    expectedSecondsToFire: sum(Object.values(input.timing)),
    expectedSecondsToResolve: sum(Object.values(input.resolveTiming)),
    runbookAnchor: input.uid,
  };
}

// Only series of the shop's services: on the Docker stack Prometheus scrapes itself too, and its
// own process_cpu_seconds_total has no service label (an instance with an empty service).
const shopSeries = 'service!=""';
const rate = (metric: string, matchers = '') =>
  `rate(${metric}{${[shopSeries, matchers].filter(Boolean).join(', ')}}[${rateWindowSeconds}s])`;

// Counting 5xx only: 409s (sold out) and 401s (bad password) are not failures of the service.
// `or ... * 0` keeps a 0 series per service while there are no 5xx, so the rule reads
// "healthy" rather than "no data".
// Probes are not traffic: /ready answers 503 until a service's dependencies answer, which right after a
// start would make the few requests of a quiet window look like an outage.
const servedRequests = 'route!~"/health|/ready"';
const errorRatioWithZeros =
  `(sum by (service) (${rate('http_requests_total', `${servedRequests}, status=~"5.."`)})` +
  ` or sum by (service) (${rate('http_requests_total', servedRequests)}) * 0)` +
  ` / sum by (service) (${rate('http_requests_total', servedRequests)})`;

export const alertCatalog: readonly AlertDefinition[] = [
  defineAlert({
    uid: 'high-cpu',
    title: 'High CPU usage',
    summary: `A service uses more than 70 % of a CPU core (its rate over ${rateWindowSeconds} s).`,
    datasource: 'prometheus',
    query: `sum by (service) (${rate('process_cpu_seconds_total')})`,
    reducer: 'last',
    threshold: { op: 'gt', value: 0.7 },
    severity: 'warning',
    team: 'shop',
    service: 'all',
    instanceLabels: ['service'],
    firesIn: { 'high-cpu': [{ service: 'api' }], flapping: [{ service: 'api' }] },
    // A burn of one core lifts the rate over 0.7 once it fills 70 % of the window (14 s).
    timing: {
      signalDelaySeconds: scrapeSeconds,
      windowFillSeconds: 14,
      evaluationWaitSeconds,
      pendingSeconds: 10,
    },
    // Once firing it holds until the rate is under 0.4: a service hovering around 0.7 (a job that
    // comes and goes) is one incident, not a notification at every dip.
    calmRecovery: {
      recoverWhen: { op: 'lt', value: 0.4 },
      why: 'CPU hovers: a service near 70 % crosses the line at every busy spell',
    },
    // ... and it falls under 0.4 once the burn has left 60 % of the window (12 s).
    resolveTiming: onceDrained(0.6),
    resolvedBy: 'scenario end',
    resolveNote: `the ${rateWindowSeconds}-second rate falls as soon as the burn stops`,
  }),
  defineAlert({
    uid: 'high-error-rate',
    title: 'High error rate',
    summary: 'More than 10 % of a service’s requests answer 5xx.',
    datasource: 'prometheus',
    query: errorRatioWithZeros,
    reducer: 'last',
    threshold: { op: 'gt', value: 0.1 },
    severity: 'critical',
    team: 'shop',
    service: 'all',
    instanceLabels: ['service'],
    // The api passes the gateway's 502 on to the shopper: the failure shows where it starts
    // (payment) and where shoppers meet it (api), as it would in production.
    firesIn: { 'payment-failures': [{ service: 'payment' }, { service: 'api' }] },
    // A ratio needs two scrapes of both counters; it is over 10 % from then on.
    timing: twoScrapesThenPending,
    calmRecovery: {
      keepFiringForSeconds: burstyKeepFiringSeconds,
      why: 'errors come in bursts: a quiet scrape between two bursts is not a recovery',
    },
    // Under 10 % once the failures have left 90 % of the window, then Recovering for 10 s.
    resolveTiming: onceDrained(0.9, burstyKeepFiringSeconds),
    resolvedBy: 'scenario end',
    resolveNote: `the ${rateWindowSeconds}-second ratio falls once the failures have left the window`,
  }),
  defineAlert({
    uid: 'slow-responses',
    title: 'Slow responses',
    summary: 'The 95th percentile of a service’s response time is above 1 s.',
    datasource: 'prometheus',
    query: `histogram_quantile(0.95, sum by (service, le) (${rate('http_request_duration_seconds_bucket')}))`,
    reducer: 'last',
    threshold: { op: 'gt', value: 1 },
    severity: 'warning',
    team: 'shop',
    service: 'all',
    instanceLabels: ['service'],
    // The frontend's pages wait on the slowed api, so they are slow too.
    firesIn: { 'high-cpu': [{ service: 'api' }, { service: 'frontend' }] },
    // Once 5 % of the window's requests are slow the p95 is; two scrapes give a rate.
    timing: twoScrapesThenPending,
    // Once firing it holds until the p95 is under 0.75 s: a p95 hovering at 1 s is one incident.
    calmRecovery: {
      recoverWhen: { op: 'lt', value: 0.75 },
      why: 'a percentile hovers: near 1 s it crosses the line with every few slow requests',
    },
    // Under 0.75 s once slow requests are fewer than 5 % of the window (the fast ones take ms).
    resolveTiming: onceDrained(0.95),
    resolvedBy: 'scenario end',
    resolveNote: `the ${rateWindowSeconds}-second percentile falls once the slow requests have left the window`,
  }),
  defineAlert({
    uid: 'payment-failures',
    title: 'Payment failures',
    summary: `More than 5 "payment failed" errors logged by the payment service in ${logWindowSeconds} s.`,
    datasource: 'loki',
    query: `sum(count_over_time({service="payment", level="error"} |= "payment failed" [${logWindowSeconds}s])) or vector(0)`,
    reducer: 'last',
    threshold: { op: 'gt', value: 5 },
    severity: 'critical',
    team: 'shop',
    service: 'payment',
    instanceLabels: [],
    firesIn: { 'payment-failures': [{}] },
    // Six failed payments at the scenario's ~2.4 failures/s take ~3 s.
    timing: {
      signalDelaySeconds: lokiBatchSeconds,
      windowFillSeconds: 3,
      evaluationWaitSeconds,
      pendingSeconds: 10,
    },
    calmRecovery: {
      keepFiringForSeconds: burstyKeepFiringSeconds,
      why: 'a flaky gateway fails in runs: a short lull between runs is not a recovery',
    },
    // Reset cannot delete what Loki holds: the count falls to 5 when the last six failures are
    // older than the window; then Recovering for 10 s.
    resolveTiming: {
      signalDelaySeconds: 0,
      windowDrainSeconds: logWindowSeconds,
      evaluationWaitSeconds,
      keepFiringForSeconds: burstyKeepFiringSeconds,
    },
    resolvedBy: 'scenario end',
    resolveNote: `logged failures count for ${logWindowSeconds} s; reset cannot delete what Loki holds`,
  }),
  defineAlert({
    uid: 'low-inventory',
    title: 'Low inventory',
    summary: 'A product’s stock is at or below its low-stock threshold.',
    datasource: 'postgres',
    // Headroom above the product's own threshold: ≤ 0 means low. One alert instance per sku.
    query: 'SELECT sku, stock - low_stock_threshold AS headroom FROM alert_inventory_levels ORDER BY sku',
    reducer: 'last',
    threshold: { op: 'lt', value: 1 },
    severity: 'warning',
    team: 'merchandising',
    service: 'inventory',
    instanceLabels: ['sku'],
    firesIn: {
      'low-inventory': [{ sku: 'SF-1004' }, { sku: 'SF-1008' }],
      'flash-sale': [{ sku: 'SF-1001' }],
    },
    // SQL reads the rows directly; low-inventory drains its products within ~22 s, the flash sale
    // sells 30 of SF-1001 within ~15 s. Stock only recovers by restocking: no pending period.
    timing: { signalDelaySeconds: 0, windowFillSeconds: 25, evaluationWaitSeconds, pendingSeconds: 0 },
    windowFillIn: { 'flash-sale': 18 },
    resolveTiming: atNextEvaluation,
    resolvedBy: 'reset',
    resolveNote: 'stock stays low until reset (or a restock) puts it back',
  }),
  defineAlert({
    uid: 'critical-inventory',
    title: 'Critical inventory',
    summary: 'A product has 5 or fewer items left in stock.',
    datasource: 'postgres',
    query: 'SELECT sku, stock FROM alert_inventory_levels ORDER BY sku',
    reducer: 'last',
    threshold: { op: 'lt', value: 6 },
    severity: 'critical',
    team: 'merchandising',
    service: 'inventory',
    instanceLabels: ['sku'],
    firesIn: { 'flash-sale': [{ sku: 'SF-1001' }] },
    // The flash sale takes its featured product from 40 to 5 within ~20 s.
    timing: { signalDelaySeconds: 0, windowFillSeconds: 20, evaluationWaitSeconds, pendingSeconds: 0 },
    resolveTiming: atNextEvaluation,
    resolvedBy: 'reset',
    resolveNote: 'stock stays low until reset (or a restock) puts it back',
  }),
  defineAlert({
    uid: 'failed-logins',
    title: 'Failed logins',
    summary: '5 or more failed logins in the last 5 minutes.',
    datasource: 'postgres',
    query: 'SELECT failed_last_5m FROM alert_failed_logins',
    reducer: 'last',
    threshold: { op: 'gt', value: 4 },
    severity: 'critical',
    team: 'shop',
    service: 'api',
    instanceLabels: [],
    firesIn: { 'security-breach': [{}], maintenance: [{}] },
    // The brute-force scenario fails 5 logins within ~3 s; the 5-minute count already holds the
    // alert steady, so no pending period.
    timing: { signalDelaySeconds: 0, windowFillSeconds: 3, evaluationWaitSeconds, pendingSeconds: 0 },
    resolveTiming: atNextEvaluation,
    resolvedBy: 'reset',
    resolveNote:
      'an attack is remembered for 5 minutes; reset clears the streak (the attempts stay recorded)',
  }),
];

/** Worst case from the incident's start in this scenario (its own window fill, if it has one). */
export function secondsToFireIn(alert: AlertDefinition, scenario: PhasedScenarioName): number {
  const fill = alert.windowFillIn?.[scenario];
  return fill === undefined
    ? alert.expectedSecondsToFire
    : alert.expectedSecondsToFire - alert.timing.windowFillSeconds + fill;
}

export function alertByUid(uid: string): AlertDefinition | undefined {
  return alertCatalog.find((alert) => alert.uid === uid);
}
