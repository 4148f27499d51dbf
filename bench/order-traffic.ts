import type postgres from 'postgres';
import { startTraffic, type TrafficReport } from '../simulator/engine/traffic-engine.ts';

/** A product with stock no benchmark runs out of. */
export async function stockBenchProduct(sql: postgres.Sql, sku: string): Promise<void> {
  await sql`INSERT INTO products (sku, name, description, price_cents, stock, seed_stock, low_stock_threshold)
    VALUES (${sku}, 'Benchmark widget', 'Stock for the order benchmarks', 100, 1000000, 1000000, 0)
    ON CONFLICT (sku) DO UPDATE SET stock = 1000000`;
}

/** POST /api/orders for one unit of sku at a constant rate, open loop; anything but 201 counts as failed. */
export function ordersAtRate(
  apiUrl: string,
  { sku, rate, seconds, seed }: { sku: string; rate: number; seconds: number; seed: number },
): Promise<TrafficReport> {
  const order = {
    items: [{ sku, quantity: 1 }],
    paymentMethod: 'card',
    customerEmail: 'bench@shopfast.local',
  };
  return startTraffic({
    stages: [
      {
        durationSeconds: seconds,
        fromRate: rate,
        toRate: rate,
        pickAction: () => ({
          name: 'order',
          run: async (context) => {
            const res = await context.send({
              origin: apiUrl,
              path: '/api/orders',
              method: 'POST',
              json: order,
            });
            if (res.status !== 201) throw new Error(`order answered ${res.status}`);
          },
        }),
      },
    ],
    maxInFlight: 200,
    maxArrivals: rate * seconds + 1,
    seed,
  }).finished;
}
