import { createDb, createKit, runService } from '../kit/index.ts';
import { startSweeper } from '../kit/sweeper.ts';
import { createPaymentApp } from './app.ts';
import { simulatedGateway } from './gateway.ts';
import { createLedger } from './ledger.ts';
import { createPaymentMetrics } from './metrics.ts';
import { loadPaymentSettings } from './settings.ts';

const settings = loadPaymentSettings();
const kit = createKit(settings);
// Ledger statements are tiny; 2 s ends them long before the api stops waiting for a charge (6 s).
const sql = createDb(settings.databaseUrl, 'shopfast-payment', { statementTimeoutMs: 2_000 });
const ledger = createLedger(sql);
const metrics = createPaymentMetrics(kit.metrics.registry);
const gateway = simulatedGateway({ processingMs: settings.processingMs, faults: kit.faults });
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
runService(kit, createPaymentApp(kit, { sql, ledger, metrics, gateway }), [
  () => expiry.stop(),
  () => sql.end({ timeout: 5 }),
]);
