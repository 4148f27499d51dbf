// The alert catalog: the single source for the Grafana rules, the simulator and the docs.

export type ScenarioName =
  'normal' | 'flash-sale' | 'payment-failures' | 'high-cpu' | 'security-breach' | 'low-inventory' | 'all';

export type DatasourceKind = 'prometheus' | 'loki' | 'postgres';

/**
 * Where the seconds between a scenario's start and the alert firing in Grafana go.
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
  pendingPeriod: string;
  severity: 'critical' | 'warning';
  /** Label value; 'all' when the query yields one series per service. */
  service: string;
  /** Labels that tell the query's series (alert instances) apart: one instance per value. */
  instanceLabels: string[];
  /** Scenarios that fire it ('all' is implied). */
  scenarios: ScenarioName[];
  /** On the Docker stack, from the scenario's start: the sum of `timing`. */
  expectedSecondsToFire: number;
  timing: FireTiming;
  /** Anchor of the alert's section in TROUBLESHOOTING.md. */
  runbookAnchor: string;
}

export const ruleGroup = { name: 'shopfast-alerts', folder: 'ShopFast', intervalSeconds: 10 } as const;

/** Prometheus scrape interval (prometheus/prometheus.yml); pino-loki batch (1 s) plus the push; none for SQL. */
export const signalDelaySeconds: Record<DatasourceKind, number> = { prometheus: 5, loki: 2, postgres: 0 };
const scrapeSeconds = signalDelaySeconds.prometheus;
const lokiBatchSeconds = signalDelaySeconds.loki;
const evaluationWaitSeconds = ruleGroup.intervalSeconds;

function secondsToFire(timing: FireTiming): number {
  return (
    timing.signalDelaySeconds +
    timing.windowFillSeconds +
    timing.evaluationWaitSeconds +
    timing.pendingSeconds
  );
}

type AlertInput = Omit<AlertDefinition, 'expectedSecondsToFire' | 'pendingPeriod' | 'runbookAnchor'>;

function defineAlert(input: AlertInput): AlertDefinition {
  return {
    ...input,
    pendingPeriod: `${input.timing.pendingSeconds}s`,
    expectedSecondsToFire: secondsToFire(input.timing),
    runbookAnchor: input.uid,
  };
}

// Counting 5xx only: 400s (sold out) and 401s (bad password) are not failures of the service.
// `or ... * 0` keeps a 0 series per service while there are no 5xx, so the rule reads
// "healthy" rather than "no data".
const errorRatioWithZeros =
  '(sum by (service) (rate(http_requests_total{status=~"5.."}[1m]))' +
  ' or sum by (service) (rate(http_requests_total[1m])) * 0)' +
  ' / sum by (service) (rate(http_requests_total[1m]))';

export const alertCatalog: readonly AlertDefinition[] = [
  defineAlert({
    uid: 'high-cpu',
    title: 'High CPU usage',
    summary: 'A service uses more than 70 % of a CPU core for 20 s.',
    datasource: 'prometheus',
    query: 'sum by (service) (rate(process_cpu_seconds_total[1m]))',
    reducer: 'last',
    threshold: { op: 'gt', value: 0.7 },
    severity: 'warning',
    service: 'all',
    instanceLabels: ['service'],
    scenarios: ['high-cpu'],
    // A burn near 1 core lifts a 1-minute rate over 0.7 after ~42 s of the window.
    timing: {
      signalDelaySeconds: scrapeSeconds,
      windowFillSeconds: 42,
      evaluationWaitSeconds,
      pendingSeconds: 20,
    },
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
    service: 'all',
    instanceLabels: ['service'],
    scenarios: ['payment-failures'],
    // A ratio needs two scrapes of both counters; it is over 10 % from then on.
    timing: {
      signalDelaySeconds: scrapeSeconds,
      windowFillSeconds: 2 * scrapeSeconds,
      evaluationWaitSeconds,
      pendingSeconds: 30,
    },
  }),
  defineAlert({
    uid: 'slow-responses',
    title: 'Slow responses',
    summary: 'The 95th percentile of a service’s response time is above 1 s.',
    datasource: 'prometheus',
    query: 'histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket[1m])))',
    reducer: 'last',
    threshold: { op: 'gt', value: 1 },
    severity: 'warning',
    service: 'all',
    instanceLabels: ['service'],
    scenarios: ['high-cpu'],
    // Once 5 % of the window's requests are slow the p95 is; two scrapes give a rate.
    timing: {
      signalDelaySeconds: scrapeSeconds,
      windowFillSeconds: 2 * scrapeSeconds,
      evaluationWaitSeconds,
      pendingSeconds: 30,
    },
  }),
  defineAlert({
    uid: 'payment-failures',
    title: 'Payment failures',
    summary: 'More than 5 "payment failed" errors logged by the payment service in 5 minutes.',
    datasource: 'loki',
    query: 'sum(count_over_time({service="payment", level="error"} |= "payment failed" [5m])) or vector(0)',
    reducer: 'last',
    threshold: { op: 'gt', value: 5 },
    severity: 'critical',
    service: 'payment',
    instanceLabels: [],
    scenarios: ['payment-failures'],
    // Six failed payments arrive within ~10 s at the scenario's checkout rate.
    timing: {
      signalDelaySeconds: lokiBatchSeconds,
      windowFillSeconds: 10,
      evaluationWaitSeconds,
      pendingSeconds: 30,
    },
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
    service: 'inventory',
    instanceLabels: ['sku'],
    scenarios: ['low-inventory', 'flash-sale'],
    // SQL reads the rows directly; the scenario drains a product within ~30 s. Stock only
    // recovers by restocking, so no pending period is needed.
    timing: { signalDelaySeconds: 0, windowFillSeconds: 30, evaluationWaitSeconds, pendingSeconds: 0 },
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
    service: 'inventory',
    instanceLabels: ['sku'],
    scenarios: ['flash-sale'],
    // The flash sale empties its featured product within ~45 s.
    timing: { signalDelaySeconds: 0, windowFillSeconds: 45, evaluationWaitSeconds, pendingSeconds: 0 },
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
    service: 'api',
    instanceLabels: [],
    scenarios: ['security-breach'],
    // The brute-force scenario fails 5 logins within ~5 s; the 5-minute count already
    // holds the alert steady, so no pending period.
    timing: { signalDelaySeconds: 0, windowFillSeconds: 5, evaluationWaitSeconds, pendingSeconds: 0 },
  }),
];

export function alertByUid(uid: string): AlertDefinition | undefined {
  return alertCatalog.find((alert) => alert.uid === uid);
}
