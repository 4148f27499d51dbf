import { z } from 'zod';
import { getJson, modelText, type PreviewDataSource } from './data-source.ts';
import type { ExpressionValue } from './values.ts';

const instantAnswer = z.object({
  status: z.string(),
  data: z.object({
    resultType: z.string(),
    result: z.array(
      z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) }),
    ),
  }),
});

/**
 * Loki instant metric queries over HTTP at the tick's time (nanoseconds), against a real Loki or
 * the native runner's stand-in alike. Grafana's Loki data source returns each vector element as
 * a one-point time series (hence the rule's reduce); an empty vector is NoData.
 */
export function lokiSource(baseUrl: string): PreviewDataSource {
  return {
    async query(model, atMs): Promise<ExpressionValue> {
      const params = new URLSearchParams({
        query: modelText(model, 'expr'),
        time: `${BigInt(atMs) * 1_000_000n}`,
      });
      const parsed = instantAnswer.safeParse(await getJson(`${baseUrl}/loki/api/v1/query?${params}`, 'Loki'));
      if (!parsed.success || parsed.data.status !== 'success')
        throw new Error('Loki: unexpected answer to an instant query');
      const { resultType, result } = parsed.data.data;
      if (resultType !== 'vector') throw new Error(`Loki gave a ${resultType}, not a vector`);
      if (result.length === 0) return { kind: 'noData' };
      return {
        kind: 'series',
        series: result.map((r) => ({ labels: r.metric, points: [Number(r.value[1])] })),
      };
    },
  };
}
