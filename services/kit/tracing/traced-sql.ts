import { context, SpanKind, trace, type Attributes } from '@opentelemetry/api';
import type postgres from 'postgres';
import { markFailed } from './spans.ts';
import { tracingEnabled } from './setup.ts';

type Sql = postgres.Sql;
type Thenable = { then: (onFulfilled?: unknown, onRejected?: unknown) => Promise<unknown> };

/** A statement as the span shows it: the template with $1, $2... where the parameters went, on one line. */
export function statementText(strings: readonly string[]): string {
  return strings
    .reduce((text, part, i) => (i === 0 ? part : `${text}$${i}${part}`), '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The statement without anything in parentheses: CTE bodies, subqueries, function arguments. */
function outsideParentheses(text: string): string {
  let previous;
  let stripped = text;
  do {
    previous = stripped;
    stripped = stripped.replace(/\([^()]*\)/g, ' ');
  } while (stripped !== previous);
  return stripped;
}

/**
 * "SELECT products", "UPDATE products": the operation and the first table of the statement's own
 * level, as the span's name. A WITH statement is named by the statement its CTEs feed.
 */
export function statementName(text: string): { operation: string; table: string | undefined; name: string } {
  const top = outsideParentheses(text);
  const first = /^\s*(\w+)/.exec(top)?.[1]?.toUpperCase() ?? 'QUERY';
  const main = first === 'WITH' ? /\b(select|insert|update|delete)\b/i.exec(top) : null;
  const operation = main?.[1]?.toUpperCase() ?? first;
  const body = main ? top.slice(main.index) : top;
  const table = /\b(?:from|into|update)\s+("?[\w.]+"?)/i.exec(body)?.[1]?.replaceAll('"', '');
  return { operation, table, name: table ? `${operation} ${table}` : operation };
}

/** A statement's span name and attributes, worked out once per statement. */
interface Statement {
  name: string;
  attributes: Attributes;
}

function describeStatement(text: string): Statement {
  const { operation, table, name } = statementName(text);
  return {
    name,
    attributes: {
      'db.system.name': 'postgresql',
      'db.operation.name': operation,
      'db.query.text': text,
      ...(table ? { 'db.collection.name': table } : {}),
    },
  };
}

// A tagged template's strings array is one object per call site, so each statement in the code is
// described once, not on every query it runs.
const described = new WeakMap<TemplateStringsArray, Statement>();

function templateStatement(strings: TemplateStringsArray): Statement {
  let statement = described.get(strings);
  if (!statement) {
    statement = describeStatement(statementText(strings));
    described.set(strings, statement);
  }
  return statement;
}

function isTemplateCall(args: unknown[]): args is [TemplateStringsArray, ...unknown[]] {
  return Array.isArray(args[0]) && 'raw' in (args[0] as object);
}

/**
 * postgres.js runs a query when it is awaited (its `then`), so the span starts there and ends when
 * the rows or the error arrive. Fragments nested in another query are never awaited: no span.
 */
function traceQuery<T>(query: T, statement: Statement): T {
  const original = (query as Thenable).then;
  Object.defineProperty(query, 'then', {
    configurable: true,
    value(onFulfilled?: (rows: unknown) => unknown, onRejected?: (err: unknown) => unknown) {
      const span = trace
        .getTracer('shopfast')
        .startSpan(
          statement.name,
          { kind: SpanKind.CLIENT, attributes: statement.attributes },
          context.active(),
        );
      return original.call(
        query,
        (rows: unknown) => {
          const count = (rows as { count?: unknown }).count;
          if (typeof count === 'number') span.setAttribute('db.response.returned_rows', count);
          span.end();
          return onFulfilled ? onFulfilled(rows) : rows;
        },
        (err: unknown) => {
          markFailed(span, err);
          span.end();
          if (onRejected) return onRejected(err);
          throw err;
        },
      );
    },
  });
  return query;
}

/**
 * The kit's database handle with one CLIENT span per statement, named by the statement (its text
 * with placeholders, never the parameters). Transactions' handles are wrapped alike. With tracing
 * off the handle is returned as it is.
 */
export function traceSql(sql: Sql): Sql {
  if (!tracingEnabled()) return sql;
  return new Proxy(sql, {
    apply(target, thisArg, args: unknown[]) {
      const result: unknown = Reflect.apply(target, thisArg, args);
      return isTemplateCall(args) ? traceQuery(result, templateStatement(args[0])) : result;
    },
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (text: string, ...rest: unknown[]) =>
          traceQuery(
            (target.unsafe as (...a: unknown[]) => unknown)(text, ...rest),
            describeStatement(statementText([text])),
          );
      }
      if (property === 'begin') {
        return (...args: unknown[]) => {
          const last = args.length - 1;
          const work = args[last] as (tx: Sql) => unknown;
          args[last] = (tx: Sql) => work(traceSql(tx));
          return (target.begin as (...a: unknown[]) => unknown)(...args);
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}
