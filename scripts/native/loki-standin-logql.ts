// The LogQL the alert rules and the docs use, parsed with Grafana's own grammar (@grafana/lezer-logql)
// and evaluated over recorded log entries. Exactly this subset is supported: a stream selector of `=`
// matchers, `|=` line filters, the `| json` parser, count_over_time(...[range]), sum / sum by (...),
// and `or vector(n)` as instant metric queries; and log queries (selector and pipeline) over a time
// range. Anything else is refused with an error naming it.
import { parser } from '@grafana/lezer-logql';
import { parseDurationSeconds } from '../../domain/durations.ts';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** Entries older than this are dropped by the stand-in, so no query may look further back. */
export const longestRangeMs = 10 * 60 * 1000;

export interface LogEntry {
  labels: Record<string, string>;
  line: string;
  /** Nanoseconds since the epoch, as Loki stores it. */
  timeNs: bigint;
}

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

interface StreamSelector {
  matchers: { name: string; value: string }[];
  lineContains: string[];
  /** `| json`: the line's JSON properties become labels. */
  parseJson: boolean;
}

/** A log query: the lines of the selected streams, through the pipeline. */
export interface LogQuery {
  kind: 'log';
  selector: StreamSelector;
}

export type MetricQuery =
  | { kind: 'count_over_time'; selector: StreamSelector; rangeNs: bigint }
  | { kind: 'sum'; by: string[] | null; inner: MetricQuery }
  | { kind: 'or'; left: MetricQuery; right: MetricQuery }
  | { kind: 'vector'; value: number };

/** A query outside the supported subset, or not LogQL at all; the message names the construct. */
export class UnsupportedQuery extends Error {}

// Human names for the grammar's nodes, for refusals.
const constructNames: Record<string, string> = {
  PipelineStage: 'a pipeline stage other than a line filter or `| json`',
  JsonExpressionParser: '`| json` with parameters',
  OrFilter: 'an `or` inside a line filter',
  OffsetExpr: 'offset',
  UnwrapExpr: 'unwrap',
  LiteralExpr: 'a number literal',
  LabelReplaceExpr: 'label_replace',
};

function refuse(node: SyntaxNode, source: string, what?: string): never {
  const text = source.slice(node.from, node.to);
  throw new UnsupportedQuery(
    `unsupported by the Loki stand-in: ${what ?? constructNames[node.name] ?? node.name} ("${text}")`,
  );
}

function namedChildren(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
  return children;
}

/** The node's one child (named nodes only), or a refusal of the node. */
function soleChild(node: SyntaxNode, source: string): SyntaxNode {
  const children = namedChildren(node);
  if (children.length !== 1 || !children[0]) return refuse(node, source);
  return children[0];
}

/** The node's one child, which must be a `name`; anything else is refused. */
function only(node: SyntaxNode, source: string, name: string): SyntaxNode {
  const child = soleChild(node, source);
  return child.name === name ? child : refuse(child, source);
}

/** Go-style string literal: "…" with escapes, or `…` raw. */
function unquote(node: SyntaxNode, source: string): string {
  const text = source.slice(node.from, node.to);
  if (text.startsWith('`')) return text.slice(1, -1);
  try {
    return JSON.parse(text) as string;
  } catch {
    return refuse(node, source, 'a string escape');
  }
}

function parseSelector(node: SyntaxNode, source: string): StreamSelector['matchers'] {
  const matchers: StreamSelector['matchers'] = [];
  const visit = (list: SyntaxNode) => {
    for (const child of namedChildren(list)) {
      if (child.name === 'Matchers') visit(child);
      else if (child.name === 'Matcher') {
        const [name, op, value] = namedChildren(child);
        if (!name || !op || !value) return refuse(child, source);
        if (op.name !== 'Eq') refuse(op, source, `the matcher operator ${source.slice(op.from, op.to)}`);
        matchers.push({ name: source.slice(name.from, name.to), value: unquote(value, source) });
      } else refuse(child, source);
    }
  };
  visit(only(node, source, 'Matchers'));
  return matchers;
}

/** The pipeline's stages: `|=` line filters and `| json`, in any order (neither changes the other). */
function parsePipeline(pipeline: SyntaxNode, source: string): Omit<StreamSelector, 'matchers'> {
  const contains: string[] = [];
  let parseJson = false;
  const visit = (filters: SyntaxNode) => {
    for (const filter of namedChildren(filters)) {
      if (filter.name === 'LineFilters') {
        visit(filter);
        continue;
      }
      if (filter.name !== 'LineFilter') refuse(filter, source);
      const [op, value, ...rest] = namedChildren(filter);
      if (!op || !value || rest.length > 0) refuse(rest.find((n) => n.name === 'OrFilter') ?? filter, source);
      const operator = soleChild(op, source);
      if (operator.name !== 'PipeExact')
        refuse(operator, source, `the line filter ${source.slice(operator.from, operator.to)}`);
      if (value.name !== 'String') refuse(value, source);
      contains.push(unquote(value, source));
    }
  };
  const visitStages = (node: SyntaxNode) => {
    for (const stage of namedChildren(node)) {
      if (stage.name === 'PipelineExpr') {
        visitStages(stage);
        continue;
      }
      if (stage.name !== 'PipelineStage') refuse(stage, source);
      const parts = namedChildren(stage).filter((part) => part.name !== 'Pipe');
      const [part] = parts;
      if (parts.length !== 1 || !part) refuse(stage, source);
      else if (part.name === 'LineFilters') visit(part);
      else if (part.name === 'LabelParser' && only(part, source, 'Json')) parseJson = true;
      else refuse(part.name === 'JsonExpressionParser' ? part : stage, source);
    }
  };
  visitStages(pipeline);
  return { lineContains: contains, parseJson };
}

function parseSelectorAndPipeline(parts: SyntaxNode[], source: string, node: SyntaxNode): StreamSelector {
  let matchers: StreamSelector['matchers'] | undefined;
  let pipeline: Omit<StreamSelector, 'matchers'> = { lineContains: [], parseJson: false };
  for (const part of parts) {
    if (part.name === 'Selector') matchers = parseSelector(part, source);
    else if (part.name === 'PipelineExpr') pipeline = parsePipeline(part, source);
    else refuse(part, source);
  }
  if (!matchers) return refuse(node, source);
  return { matchers, ...pipeline };
}

function parseRangeAggregation(node: SyntaxNode, source: string): MetricQuery {
  const [op, range, ...rest] = namedChildren(node);
  if (!op || !range) return refuse(node, source);
  if (rest[0]) refuse(rest[0], source);
  const fn = soleChild(op, source);
  if (fn.name !== 'CountOverTime') refuse(fn, source, `the range function ${source.slice(fn.from, fn.to)}`);
  if (range.name !== 'LogRangeExpr') refuse(range, source);
  const parts = namedChildren(range);
  const rangePart = parts.find((part) => part.name === 'Range');
  if (!rangePart) return refuse(range, source);
  const duration = only(rangePart, source, 'Duration');
  const seconds = parseDurationSeconds(source.slice(duration.from, duration.to));
  if (seconds === undefined || seconds <= 0) refuse(duration, source, 'the range');
  if (seconds * 1000 > longestRangeMs)
    refuse(duration, source, `a range over ${longestRangeMs / 60_000}m (entries are kept that long)`);
  const selector = parseSelectorAndPipeline(
    parts.filter((part) => part !== rangePart),
    source,
    range,
  );
  return { kind: 'count_over_time', selector, rangeNs: BigInt(Math.round(seconds * 1e9)) };
}

function parseVectorAggregation(node: SyntaxNode, source: string): MetricQuery {
  let by: string[] | null = null;
  let inner: MetricQuery | undefined;
  for (const part of namedChildren(node)) {
    if (part.name === 'VectorOp') {
      const op = soleChild(part, source);
      if (op.name !== 'Sum') refuse(op, source, `the aggregation ${source.slice(op.from, op.to)}`);
    } else if (part.name === 'Grouping') {
      const [kind, labels] = namedChildren(part);
      if (kind?.name !== 'By') refuse(kind ?? part, source, 'grouping `without`');
      by = labels ? namedChildren(labels).map((label) => source.slice(label.from, label.to)) : [];
    } else if (part.name === 'MetricExpr') inner = parseMetric(part, source);
    else refuse(part, source);
  }
  if (!inner) return refuse(node, source);
  return { kind: 'sum', by, inner };
}

function parseBinOp(node: SyntaxNode, source: string): MetricQuery {
  const [left, op, modifier, right, ...rest] = namedChildren(node);
  if (!left || !op || !modifier || !right || rest.length > 0) return refuse(node, source);
  if (op.name !== 'Or') refuse(op, source, `the operator ${source.slice(op.from, op.to)}`);
  if (modifier.to > modifier.from) refuse(modifier, source, 'a vector matching modifier');
  return { kind: 'or', left: parseExpr(left, source), right: parseExpr(right, source) };
}

function parseMetric(node: SyntaxNode, source: string): MetricQuery {
  const child = soleChild(node, source);
  switch (child.name) {
    case 'MetricExpr':
      return parseMetric(child, source); // parentheses
    case 'RangeAggregationExpr':
      return parseRangeAggregation(child, source);
    case 'VectorAggregationExpr':
      return parseVectorAggregation(child, source);
    case 'BinOpExpr':
      return parseBinOp(child, source);
    case 'VectorExpr': {
      const number = namedChildren(child).find((n) => n.name === 'Number');
      if (!number) return refuse(child, source);
      return { kind: 'vector', value: Number(source.slice(number.from, number.to)) };
    }
    default:
      return refuse(child, source);
  }
}

function parseExpr(node: SyntaxNode, source: string): MetricQuery {
  return parseMetric(only(node, source, 'MetricExpr'), source);
}

/** Parses a log or metric query of the supported subset; throws UnsupportedQuery otherwise. */
export function parseQuery(query: string): LogQuery | MetricQuery {
  const tree = parser.parse(query);
  let syntaxError: SyntaxNode | undefined;
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError && !syntaxError) syntaxError = ref.node;
    },
  });
  if (syntaxError) {
    throw new UnsupportedQuery(`parse error at column ${syntaxError.from + 1}: not valid LogQL ("${query}")`);
  }
  const expr = only(tree.topNode, query, 'Expr');
  const [logExpr] = namedChildren(expr);
  if (logExpr?.name === 'LogExpr') {
    return { kind: 'log', selector: parseSelectorAndPipeline(namedChildren(logExpr), query, logExpr) };
  }
  return parseExpr(expr, query);
}

/** Parses an instant metric query of the supported subset; throws UnsupportedQuery otherwise. */
export function parseMetricQuery(query: string): MetricQuery {
  const parsed = parseQuery(query);
  if (parsed.kind === 'log') {
    throw new UnsupportedQuery(
      `unsupported by the Loki stand-in: a log query in an instant query (ask query_range for lines) ("${query}")`,
    );
  }
  return parsed;
}

/** Loki's label names: letters, digits and `_`, not starting with a digit. */
const labelName = (key: string) => key.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, '_');

/**
 * Loki's `| json` without parameters: every property of the line's JSON object becomes a label,
 * nested objects flattened with `_`, arrays and nulls skipped, numbers and booleans as written; a
 * name the stream already has gets `_extracted`. A line that is not a JSON object gets
 * `__error__="JSONParserErr"`, as in Loki.
 */
export function jsonLabels(line: string, streamLabels: Record<string, string>): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ...streamLabels, __error__: 'JSONParserErr' };
  }
  const labels = { ...streamLabels };
  const add = (object: object, prefix: string) => {
    for (const [key, value] of Object.entries(object)) {
      const name = prefix + labelName(key);
      if (value === null || Array.isArray(value)) continue;
      if (typeof value === 'object') add(value as object, `${name}_`);
      else labels[name in streamLabels ? `${name}_extracted` : name] = String(value);
    }
  };
  add(parsed, '');
  return labels;
}

/** The entries in (fromNs, toNs] that the selector and its pipeline keep, with their labels after it. */
function select(
  selector: StreamSelector,
  entries: readonly LogEntry[],
  fromNs: bigint,
  toNs: bigint,
): LogEntry[] {
  const { matchers, lineContains, parseJson } = selector;
  return entries
    .filter(
      (entry) =>
        entry.timeNs > fromNs &&
        entry.timeNs <= toNs &&
        matchers.every((m) => (entry.labels[m.name] ?? '') === m.value) &&
        lineContains.every((text) => entry.line.includes(text)),
    )
    .map((entry) => (parseJson ? { ...entry, labels: jsonLabels(entry.line, entry.labels) } : entry));
}

export interface Stream {
  labels: Record<string, string>;
  entries: { timeNs: bigint; line: string }[];
}

/**
 * A log query over [startNs, endNs], as Loki's query_range answers it: the newest `limit` lines
 * (backward) or the oldest (forward), grouped into streams by their labels after the pipeline.
 */
export function evaluateLogQuery(
  query: LogQuery,
  entries: readonly LogEntry[],
  range: { startNs: bigint; endNs: bigint; limit: number; direction: 'backward' | 'forward' },
): Stream[] {
  const order = range.direction === 'backward' ? -1 : 1;
  const kept = select(query.selector, entries, range.startNs - 1n, range.endNs)
    .sort((a, b) => (a.timeNs < b.timeNs ? -order : a.timeNs > b.timeNs ? order : 0))
    .slice(0, range.limit);
  const streams = new Map<string, Stream>();
  for (const entry of kept) {
    const key = labelKey(entry.labels);
    const stream = streams.get(key) ?? { labels: entry.labels, entries: [] };
    stream.entries.push({ timeNs: entry.timeNs, line: entry.line });
    streams.set(key, stream);
  }
  return [...streams.values()];
}

const labelKey = (labels: Record<string, string>) =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Evaluates the query at `atNs` over the entries, as Loki's instant query does. */
export function evaluateInstant(query: MetricQuery, entries: readonly LogEntry[], atNs: bigint): Sample[] {
  switch (query.kind) {
    case 'vector':
      return [{ metric: {}, value: query.value }];
    case 'count_over_time': {
      // Loki's range is left-open: (t - range, t].
      const counts = new Map<string, Sample>();
      for (const entry of select(query.selector, entries, atNs - query.rangeNs, atNs)) {
        const key = labelKey(entry.labels);
        const sample = counts.get(key) ?? { metric: { ...entry.labels }, value: 0 };
        sample.value += 1;
        counts.set(key, sample);
      }
      return [...counts.values()];
    }
    case 'sum': {
      // Like PromQL: the sum of an empty vector is an empty vector, not 0.
      const groups = new Map<string, Sample>();
      for (const sample of evaluateInstant(query.inner, entries, atNs)) {
        const metric = Object.fromEntries(
          (query.by ?? [])
            .filter((name) => (sample.metric[name] ?? '') !== '')
            .map((name) => [name, sample.metric[name]!]),
        );
        const key = labelKey(metric);
        const group = groups.get(key) ?? { metric, value: 0 };
        group.value += sample.value;
        groups.set(key, group);
      }
      return [...groups.values()];
    }
    case 'or': {
      // Everything on the left, plus the right's series whose label sets the left lacks.
      const left = evaluateInstant(query.left, entries, atNs);
      const seen = new Set(left.map((s) => labelKey(s.metric)));
      return [
        ...left,
        ...evaluateInstant(query.right, entries, atNs).filter((s) => !seen.has(labelKey(s.metric))),
      ];
    }
  }
}
