import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDataSources } from '../simulator/preview/connect-sources.ts';
import { provisionedRuleGroups, type PreviewRule } from '../simulator/preview/rule-document.ts';
import {
  RulePreview,
  type RuleEvaluationEvent,
  type RuleTransition,
} from '../simulator/preview/rule-preview.ts';
import { postJson } from './support/http.ts';
import { clearRecordedLogs } from './support/loki.ts';
import { testProducts } from './support/products.ts';
import { adminHeaders, sql } from './support/stack.ts';

// The rule preview against the real parts of the shared native stack, with the provisioned rules
// as they are and Grafana's 10 s ticks: the Loki rule over what the services really pushed to the
// Loki stand-in, a SQL rule over PostgreSQL, a Prometheus rule over Prometheus. The payment
// gateway fails every charge and a login keeps failing until all three rules fire.

const stack = inject('stack');
const lokiStandInUrl = inject('lokiRecorderUrl');
const db = sql(stack);
const products = testProducts(db, 'PREVIEW', 'test/rule-preview.test.ts');
const [group] = provisionedRuleGroups();
const watched = { loki: 'payment-failures', sql: 'failed-logins', prometheus: 'high-error-rate' } as const;
const rules = Object.fromEntries(
  Object.values(watched).map((uid) => [uid, group!.rules.find((r) => r.uid === uid)!]),
) as Record<string, PreviewRule>;
/** The instance each rule is watched on (high-error-rate has one per service). */
const watchedLabels: Record<string, Record<string, string>> = { 'high-error-rate': { service: 'payment' } };

const sources = connectDataSources(stack);
const preview = new RulePreview({ groups: [group!], sources: sources.sources });
const evaluations: RuleEvaluationEvent[] = [];
preview.onEvaluation((e) => evaluations.push(e));

const thresholdOf = (rule: PreviewRule) =>
  (
    rule.data.find((q) => q.refId === rule.condition)!.model.conditions as {
      evaluator: { params: number[] };
    }[]
  )[0]!.evaluator.params[0]!;
const isWatched = (t: RuleTransition) =>
  Object.entries(watchedLabels[t.uid] ?? {}).every(([name, value]) => t.labels[name] === value);
const transitionsOf = (uid: string) => preview.transitions().filter((t) => t.uid === uid && isWatched(t));
const firing = (uid: string) => transitionsOf(uid).some((t) => t.to === 'Alerting');

const admin = (service: 'api' | 'payment', path: string, body?: unknown) =>
  fetch(`${stack.urls[service]}${path}`, {
    method: body === undefined ? 'POST' : 'PUT',
    headers: { 'content-type': 'application/json', ...adminHeaders(stack) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

beforeAll(async () => {
  // A clean start for the counted signals: no failed logins, no recorded payment failures.
  expect((await admin('api', '/admin/logins/reset')).status).toBe(200);
  if (lokiStandInUrl) await clearRecordedLogs(lokiStandInUrl);
  const sku = await products.create(10_000);
  expect((await admin('payment', '/admin/faults', { gatewayFailureRate: 1 })).status).toBe(200);

  preview.start();
  // Failing orders and logins, one of each a second, until the three rules fire (bounded).
  const longestFor = Math.max(...Object.values(rules).map((r) => r.forSeconds));
  const deadline = Date.now() + Math.min(80_000, (longestFor + 3 * group!.intervalSeconds) * 1000);
  while (Date.now() < deadline && !Object.values(watched).every(firing)) {
    await Promise.all([
      postJson(`${stack.urls.api}/api/orders`, { items: [{ sku, quantity: 1 }], paymentMethod: 'card' }),
      postJson(`${stack.urls.api}/api/login`, {
        email: 'alice@shopfast.local',
        password: 'not-her-password',
      }),
      new Promise((resolve) => setTimeout(resolve, 1_000)),
    ]);
  }
}, 90_000);

afterAll(async () => {
  await preview.stop();
  await admin('payment', '/admin/faults/reset');
  await admin('api', '/admin/logins/reset');
  await sources.close();
  await products.remove();
  await db.end();
});

describe('the rule preview on the native stack', () => {
  it.each(Object.entries(watched))(
    '%s rule %s: Normal, then Pending for its real `for`, then Alerting',
    (_, uid) => {
      const rule = rules[uid]!;
      const intervalMs = group!.intervalSeconds * 1000;
      const first = evaluations.find((e) => e.uid === uid);
      expect(first?.notEvaluated, `${uid} not evaluated`).toBeUndefined();
      const changes = transitionsOf(uid);
      expect(changes.map((t) => `${t.from}→${t.to}`)).toEqual(
        rule.forSeconds > 0 ? ['Normal→Pending', 'Pending→Alerting'] : ['Normal→Alerting'],
      );
      const [start, fired] = [changes[0]!, changes.at(-1)!];
      // The condition was what changed the state: the value crossed the rule's threshold.
      expect(start.value).toBeGreaterThan(thresholdOf(rule));
      // On Grafana's aligned ticks, and Alerting at the first tick once `for` has passed.
      for (const t of changes) expect(t.atMs % intervalMs).toBe(0);
      expect(fired.atMs - start.atMs).toBe(Math.ceil(rule.forSeconds / group!.intervalSeconds) * intervalMs);
      console.log(
        `[rule-preview] ${uid}: ${changes.map((t) => `${t.to} at tick ${new Date(t.atMs).toISOString()} (value ${t.value})`).join(', ')}`,
      );
    },
  );

  it('reports the Loki rule as Grafana would: firing, with its pending period and since', async () => {
    const status = (await preview.ruleStatuses()).get(watched.loki);
    const fired = transitionsOf(watched.loki).at(-1)!;
    expect(status).toMatchObject({
      state: 'Firing',
      health: 'ok',
      firingInstances: 1,
      pendingSeconds: rules[watched.loki]!.forSeconds,
      activeSinceMs: fired.atMs,
    });
    expect(status?.instances?.[0]?.labels).toMatchObject(rules[watched.loki]!.labels);
  });
});
