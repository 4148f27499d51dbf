import client from 'prom-client';

/** payments_total counts charges the gateway processed; payment_voids_total the ones undone afterwards. */
export function createPaymentMetrics(registry: client.Registry) {
  const payments = new client.Counter({
    name: 'payments_total',
    help: 'Payment attempts by outcome and method',
    labelNames: ['status', 'method'] as const,
    registers: [registry],
  });
  const voids = new client.Counter({
    name: 'payment_voids_total',
    help: 'Charges voided before an order captured them, by trigger: api (it gave up) or expiry',
    labelNames: ['trigger'] as const,
    registers: [registry],
  });
  for (const trigger of ['api', 'expiry']) voids.inc({ trigger }, 0);
  return { payments, voids };
}

export type PaymentMetrics = ReturnType<typeof createPaymentMetrics>;
