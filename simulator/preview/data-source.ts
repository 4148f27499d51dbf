import type { ExpressionValue } from './values.ts';

/** One of Grafana's data sources, as the preview queries it: a rule query's model at a tick. */
export interface PreviewDataSource {
  /** Runs the query as Grafana would at `atMs` (the tick); throws on a query error. */
  query(model: Record<string, unknown>, atMs: number): Promise<ExpressionValue>;
}

/** The data sources a preview can query, by the uid rules name them with (grafana/src/datasources.ts). */
export type PreviewDataSources = Partial<Record<string, PreviewDataSource>>;

/** The query's text field, or an error naming what is missing. */
export function modelText(model: Record<string, unknown>, field: string): string {
  const text = model[field];
  if (typeof text !== 'string' || text.trim() === '') throw new Error(`the query has no ${field}`);
  return text;
}

/** GET a JSON answer; a non-2xx answer or a network failure becomes an error with the answer's text. */
export async function getJson(url: string, what: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error(`${what} not reachable: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${text.slice(0, 300)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what} answered with something other than JSON`);
  }
}
