/** One series of an instant query: its labels and its value as a number. */
export interface Sample {
  metric: Record<string, string>;
  value: number;
}

/**
 * Runs an instant PromQL query against the stack's Prometheus, now or at the given time; fails on
 * anything but a vector result.
 */
export async function queryPrometheus(
  prometheusUrl: string | null,
  promql: string,
  at?: Date,
): Promise<Sample[]> {
  if (!prometheusUrl) throw new Error('this stack has no Prometheus (is the prometheus binary on PATH?)');
  const time = at === undefined ? '' : `&time=${(at.getTime() / 1000).toFixed(3)}`;
  const url = `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}${time}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success' || !body.data) {
    throw new Error(`Prometheus query ${promql} failed: ${body.error ?? response.status}`);
  }
  if (body.data.resultType !== 'vector') {
    throw new Error(`Prometheus query ${promql} gave a ${body.data.resultType}, not a vector`);
  }
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}
