import { z } from 'zod';
import { getJson, modelText, type PreviewDataSource } from './data-source.ts';
import type { ExpressionValue } from './values.ts';

const instantAnswer = z.object({
  status: z.string(),
  error: z.string().optional(),
  data: z
    .object({
      resultType: z.string(),
      result: z.unknown(),
    })
    .optional(),
});
const vector = z.array(
  z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) }),
);
const scalar = z.tuple([z.number(), z.string()]);

/**
 * Prometheus instant queries at the tick's time (Grafana runs instant queries at the evaluation
 * time; relativeTimeRange does not change them). A vector is numbers, one per series, as
 * pkg/expr/converter.go framesToNumbers reads Prometheus vectors; an empty vector is NoData.
 */
export function prometheusSource(baseUrl: string): PreviewDataSource {
  return {
    async query(model, atMs): Promise<ExpressionValue> {
      const params = new URLSearchParams({ query: modelText(model, 'expr'), time: (atMs / 1000).toFixed(3) });
      const parsed = instantAnswer.parse(await getJson(`${baseUrl}/api/v1/query?${params}`, 'Prometheus'));
      if (parsed.status !== 'success' || !parsed.data)
        throw new Error(`Prometheus: ${parsed.error ?? parsed.status}`);
      const { resultType, result } = parsed.data;
      if (resultType === 'scalar') {
        const [, value] = scalar.parse(result);
        return { kind: 'numbers', numbers: [{ labels: {}, value: Number(value) }] };
      }
      if (resultType !== 'vector') throw new Error(`Prometheus gave a ${resultType}, not a vector`);
      const samples = vector.parse(result);
      if (samples.length === 0) return { kind: 'noData' };
      return {
        kind: 'numbers',
        numbers: samples.map((s) => ({ labels: s.metric, value: Number(s.value[1]) })),
      };
    },
  };
}
