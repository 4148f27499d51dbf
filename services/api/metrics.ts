import client from 'prom-client';

export const orderStatuses = ['paid', 'declined', 'failed', 'rejected'] as const;
export type OrderOutcome = (typeof orderStatuses)[number];

// Order values from a coffee filter pack to a basket of headphones, in cents.
const orderValueBuckets = [1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000];

/** The api's business metrics; every label value starts at 0 so rate() works from the first scrape. */
export function createApiMetrics(registry: client.Registry) {
  const orders = new client.Counter({
    name: 'orders_total',
    help: 'Orders by outcome: paid, declined (card), failed (a service failed), rejected (sold out, unknown sku)',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  for (const status of orderStatuses) orders.inc({ status }, 0);
  const orderValue = new client.Histogram({
    name: 'order_value_cents',
    help: 'Value of paid orders in cents',
    buckets: orderValueBuckets,
    registers: [registry],
  });
  const logins = new client.Counter({
    name: 'login_attempts_total',
    help: 'Login attempts by result',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  for (const result of ['success', 'failure']) logins.inc({ result }, 0);
  return { orders, orderValue, logins };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
