import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type postgres from 'postgres';
import { parse } from 'yaml';
import { repoRoot } from '../../scripts/native/paths.ts';
import { queryPrometheus } from './prometheus.ts';

/**
 * Evaluates the generated Grafana alert rules the way Grafana does, against the real data sources
 * the tests can run: query A on its data source, then the rule's own reduce and threshold
 * expressions, giving the alert instances whose condition is true. Grafana itself cannot run here.
 */

interface AlertQuery {
  refId: string;
  datasourceUid: string;
  model: {
    expr?: string;
    rawSql?: string;
    type?: string;
    expression?: string;
    reducer?: string;
    conditions?: { evaluator: { type: string; params: number[] } }[];
  };
}

export interface ProvisionedRule {
  uid: string;
  title: string;
  condition: string;
  data: AlertQuery[];
  for: string;
  noDataState: string;
}

export interface Series {
  labels: Record<string, string>;
  values: number[];
}

export interface DataSources {
  prometheusUrl: string | null;
  sql: postgres.Sql;
  /** A real Loki; null when only the recorder stands in (the Loki rule is then not evaluated). */
  lokiUrl: string | null;
}

export type RuleVerdict =
  | { uid: string; evaluated: true; firing: { labels: Record<string, string>; value: number }[] }
  | { uid: string; evaluated: false; reason: string };

export const rulesFile = join(repoRoot, 'grafana', 'provisioning', 'alerting', 'rules.yaml');

// Grafana expands $VAR in provisioning files and turns $$ into a literal $.
const unescapeDollars = (text: string) => text.replaceAll('$$', '$');

export function loadProvisionedRules(file = rulesFile): ProvisionedRule[] {
  const document = parse(readFileSync(file, 'utf8')) as { groups: { rules: ProvisionedRule[] }[] };
  return document.groups.flatMap((g) => g.rules);
}

// PostgreSQL type oids Grafana reads as numbers: int2, int4, int8, float4, float8, numeric.
const numericOids = new Set([20, 21, 23, 700, 701, 1700]);

/** Table format: string columns become labels, the one numeric column the value of that row's series. */
async function querySql(sql: postgres.Sql, rawSql: string): Promise<Series[]> {
  const rows = await sql.unsafe(rawSql);
  const numeric = rows.columns.filter((c) => numericOids.has(c.type)).map((c) => c.name);
  if (numeric.length !== 1)
    throw new Error(`expected exactly one numeric column, got ${numeric.length}: ${rawSql}`);
  const valueColumn = numeric[0]!;
  return rows.map((row) => ({
    labels: Object.fromEntries(
      Object.entries(row)
        .filter(([name, value]) => name !== valueColumn && typeof value === 'string')
        .map(([name, value]) => [name, value as string]),
    ),
    values: [Number(row[valueColumn])],
  }));
}

async function queryLoki(lokiUrl: string, logql: string): Promise<Series[]> {
  const response = await fetch(`${lokiUrl}/loki/api/v1/query?query=${encodeURIComponent(logql)}`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as {
    data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (!response.ok || body.data?.resultType !== 'vector')
    throw new Error(`Loki query failed: ${response.status}`);
  return body.data.result.map((r) => ({ labels: r.metric, values: [Number(r.value[1])] }));
}

function reduce(series: Series[], reducer: string): Series[] {
  const pick: Record<string, (values: number[]) => number> = {
    last: (v) => v.at(-1) ?? Number.NaN,
    max: (v) => Math.max(...v),
    mean: (v) => v.reduce((a, b) => a + b, 0) / v.length,
    sum: (v) => v.reduce((a, b) => a + b, 0),
  };
  const fn = pick[reducer];
  if (!fn) throw new Error(`unsupported reducer ${reducer}`);
  return series.map((s) => ({ labels: s.labels, values: [fn(s.values)] }));
}

function threshold(series: Series[], evaluator: { type: string; params: number[] }): Series[] {
  const [limit] = evaluator.params;
  if (limit === undefined) throw new Error('threshold without a parameter');
  const compare: Record<string, (v: number) => boolean> = { gt: (v) => v > limit, lt: (v) => v < limit };
  const test = compare[evaluator.type];
  if (!test) throw new Error(`unsupported threshold type ${evaluator.type}`);
  return series.map((s) => ({ labels: s.labels, values: [test(s.values[0]!) ? 1 : 0] }));
}

/** Runs one rule's queries and expressions; its condition's series with value 1 are the firing instances. */
export async function evaluateRule(rule: ProvisionedRule, sources: DataSources): Promise<RuleVerdict> {
  const results = new Map<string, Series[]>();
  for (const query of rule.data) {
    const { model } = query;
    let series: Series[];
    if (query.datasourceUid === '__expr__') {
      const input = results.get(model.expression ?? '');
      if (!input) throw new Error(`${rule.uid}: ${query.refId} refers to unknown ${model.expression}`);
      if (model.type === 'reduce') series = reduce(input, model.reducer ?? '');
      else if (model.type === 'threshold') series = threshold(input, model.conditions![0]!.evaluator);
      else throw new Error(`${rule.uid}: unsupported expression type ${model.type}`);
    } else if (query.datasourceUid === 'prometheus') {
      const samples = await queryPrometheus(sources.prometheusUrl, unescapeDollars(model.expr ?? ''));
      series = samples.map((s) => ({ labels: s.metric, values: [s.value] }));
    } else if (query.datasourceUid === 'postgres') {
      series = await querySql(sources.sql, unescapeDollars(model.rawSql ?? ''));
    } else if (query.datasourceUid === 'loki') {
      if (!sources.lokiUrl) return { uid: rule.uid, evaluated: false, reason: 'no real Loki (set LOKI_URL)' };
      series = await queryLoki(sources.lokiUrl, unescapeDollars(model.expr ?? ''));
    } else {
      throw new Error(`${rule.uid}: unknown data source ${query.datasourceUid}`);
    }
    results.set(query.refId, series);
  }
  const conditionQuery = rule.data.find((q) => q.refId === rule.condition);
  const condition = results.get(rule.condition);
  if (!conditionQuery || !condition)
    throw new Error(`${rule.uid}: condition ${rule.condition} was not computed`);
  // The value worth reporting is what the threshold compared: its input's series, in the same order.
  const compared = results.get(conditionQuery.model.expression ?? '') ?? condition;
  return {
    uid: rule.uid,
    evaluated: true,
    firing: condition.flatMap((s, i) =>
      s.values[0] === 1 ? [{ labels: s.labels, value: compared[i]?.values[0] ?? Number.NaN }] : [],
    ),
  };
}
