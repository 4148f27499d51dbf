import { createDb, createKit, loadConfig, runService } from '../kit/index.ts';
import { startSweeper } from '../kit/sweeper.ts';
import { createPaymentApp, createPaymentMetrics, parseProcessingRange } from './app.ts';
import { createLedger } from './ledger.ts';

const kit = createKit(loadConfig('payment'));
// Ledger statements are tiny; 2 s ends them long before the api stops waiting for a charge (6 s).
const sql = createDb(kit.config.databaseUrl, 'shopfast-payment', { statementTimeoutMs: 2_000 });
const ledger = createLedger(sql);
const metrics = createPaymentMetrics(kit.metrics.registry);
// PAYMENT_PROCESSING_MS="min-max" changes the simulated gateway time (benchmarks set it to 0-0).
const processingMs = parseProcessingRange(process.env.PAYMENT_PROCESSING_MS);
// Charges no order captured in time are voided within a second of their hold running out.
const expiry = startSweeper({
  what: 'uncaptured charges',
  intervalMs: 1_000,
  logger: kit.logger,
  sweep: async () => {
    const voided = await ledger.expireDue();
    metrics.voids.inc({ trigger: 'expiry' }, voided);
    return voided;
  },
});
runService(kit, createPaymentApp(kit, { sql, ledger, metrics, ...(processingMs ? { processingMs } : {}) }), [
  () => expiry.stop(),
  () => sql.end({ timeout: 5 }),
]);
