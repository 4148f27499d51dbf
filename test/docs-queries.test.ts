import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { grafanaDatabaseRole } from '../grafana/src/datasources.ts';
import {
  annotationList,
  executedDocs,
  queryLanguages,
  readDoc,
  type CodeBlock,
} from '../scripts/docs-blocks.ts';
import { resetFaults, setFaults } from './support/faults.ts';
import { postJson } from './support/http.ts';
import { testProducts } from './support/products.ts';
import { adminHeaders, sql, sqlAs } from './support/stack.ts';

// Every query the docs show runs against the shared native stack, as the identity that runs it on
// stage (SQL in Grafana's Explore as Grafana's role, SQL for psql as the owner), and returns rows with
// the columns or labels its `<!-- returns: … -->` names. First the signals the queries look at are
// made: failing charges, failed logins, a slow and a burning service, low stock and an order of
// SF-1001; everything is undone afterwards.

const stack = inject('stack');
const owner = sql(stack);
const grafana = sqlAs(stack, grafanaDatabaseRole);
const products = testProducts(owner, 'DOCS', 'test/docs-queries.test.ts');

const blocks = executedDocs
  .flatMap((doc) => readDoc(doc).blocks)
  .filter((block) => (queryLanguages as readonly string[]).includes(block.lang));
const runnable = blocks.filter((block) => block.lang !== 'traceql');
const traceql = blocks.filter((block) => block.lang === 'traceql');

const admin = (service: 'api' | 'inventory', path: string) =>
  fetch(`${stack.urls[service]}${path}`, { method: 'POST', headers: adminHeaders(stack) });
const order = (sku: string) =>
  postJson(`${stack.urls.api}/api/orders`, { items: [{ sku, quantity: 1 }], paymentMethod: 'card' });

beforeAll(async () => {
  // Low stock for the inventory queries: at its threshold (3) and at or below 5.
  await products.create(3, { lowStockThreshold: 3 });
  // Someone bought SF-1001 (the runbook's "who bought it"); stock is restored afterwards.
  expect((await order('SF-1001')).status).toBe(201);
  // A failing gateway, a slow and a (barely) burning inventory: faults, 5xx answers, payment errors.
  const ttlSeconds = 120;
  expect((await setFaults(stack, 'payment', { gatewayFailureRate: 1, ttlSeconds })).status).toBe(200);
  expect((await setFaults(stack, 'inventory', { latencyMs: 1, cpuBurn: 0.01, ttlSeconds })).status).toBe(200);
  const failing = await products.create(100);
  for (let i = 0; i < 8; i++) {
    await order(failing).then((response) => response.body?.cancel());
    const login = await postJson(`${stack.urls.api}/api/login`, {
      email: i % 2 ? 'alice@shopfast.local' : 'bob@shopfast.local',
      password: 'not-the-password',
    });
    expect(login.status).toBe(401);
  }
}, 60_000);

afterAll(async () => {
  await resetFaults(stack, ['payment', 'inventory']);
  await admin('api', '/admin/logins/reset');
  await products.remove();
  await admin('inventory', '/admin/stock/reset');
  await Promise.all([owner.end(), grafana.end()]);
});

interface Row {
  /** Column names (SQL) or label names, with a log line's JSON fields for log queries. */
  names: string[];
}

async function runSql(block: CodeBlock): Promise<Row[]> {
  const client = block.annotation['run-as'] === 'grafana' ? grafana : owner;
  const result = await client.unsafe(block.text);
  const names = result.columns.map((column) => column.name);
  return result.map(() => ({ names }));
}

async function getJson(url: string): Promise<{ status: string; error?: string; data?: unknown }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const text = await response.text();
  try {
    return JSON.parse(text) as { status: string; data?: unknown };
  } catch {
    return { status: 'error', error: `${response.status} ${text}` };
  }
}

async function runPromql(query: string): Promise<Row[]> {
  if (!stack.prometheusUrl)
    throw new Error('this stack has no Prometheus (is the prometheus binary on PATH?)');
  const answer = await getJson(`${stack.prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  if (answer.status !== 'success') throw new Error(`Prometheus: ${answer.error}`);
  const data = answer.data as { result: { metric: Record<string, string> }[] };
  return data.result.map((series) => ({ names: Object.keys(series.metric) }));
}

/** Log queries over the last five minutes as Explore asks for them; metric queries as instant ones. */
async function runLogql(query: string): Promise<Row[]> {
  if (!stack.lokiUrl) throw new Error('this stack has no Loki');
  // A log query starts with its stream selector; a metric query with a function or a parenthesis.
  const isLogQuery = query.trimStart().startsWith('{');
  const url = isLogQuery
    ? `${stack.lokiUrl}/loki/api/v1/query_range?${new URLSearchParams({
        query,
        start: `${BigInt(Date.now() - 300_000) * 1_000_000n}`,
        limit: '100',
      })}`
    : `${stack.lokiUrl}/loki/api/v1/query?${new URLSearchParams({ query })}`;
  const answer = await getJson(url);
  if (answer.status !== 'success') throw new Error(`Loki: ${answer.error}`);
  const data = answer.data as {
    result: {
      stream?: Record<string, string>;
      values?: [string, string][];
      metric?: Record<string, string>;
    }[];
  };
  if (!isLogQuery) return data.result.map((series) => ({ names: Object.keys(series.metric ?? {}) }));
  // What Explore shows of a line: its stream's labels and the fields of its JSON.
  return data.result.flatMap((stream) =>
    (stream.values ?? []).map(([, line]) => ({
      names: [...Object.keys(stream.stream ?? {}), ...Object.keys(JSON.parse(line) as object)],
    })),
  );
}

const runners: Record<string, (block: CodeBlock) => Promise<Row[]>> = {
  sql: runSql,
  promql: (block) => runPromql(block.text),
  logql: (block) => runLogql(block.text),
};

/** What is missing from the answer: rows, or a named column or label on some row. */
function shortfall(rows: Row[], expected: string[]): string | undefined {
  if (rows.length === 0) return 'no rows';
  const lacking = rows.find((row) => expected.some((name) => !row.names.includes(name)));
  return lacking ? `a row with only ${lacking.names.join(', ')}` : undefined;
}

describe('the queries in the docs, run as on stage', () => {
  it('finds queries of every kind the docs show', () => {
    expect(new Set(runnable.map((block) => block.lang))).toEqual(new Set(['promql', 'logql', 'sql']));
    expect(new Set(runnable.filter((b) => b.lang === 'sql').map((b) => b.annotation['run-as']))).toEqual(
      new Set(['grafana', 'owner']),
    );
  });

  it.each(runnable.map((block) => [block.doc, block.lang, block.text, block] as const))(
    '%s: %s %s',
    async (_doc, lang, _text, block) => {
      const expected = annotationList(block.annotation.returns);
      const run = runners[lang]!;
      // Scrapes (1 s) and log pushes (1 s batches) take a moment to show the signals made above.
      await expect
        .poll(async () => shortfall(await run(block), expected), { timeout: 15_000, interval: 1_000 })
        .toBeUndefined();
    },
  );

  // The docs' TraceQL goes to Tempo, which the native stack does not run: there is nothing to ask.
  it.skip.each(traceql.map((block) => [block.doc, block.text] as const))(
    '%s: traceql %s (skipped: no Tempo on the native stack to answer TraceQL)',
    () => {},
  );
});
