import { createDb, createKit, runService } from '../kit/index.ts';
import { startSweeper } from '../kit/sweeper.ts';
import { createInventoryApp } from './app.ts';
import { createReservationStore } from './reservations.ts';
import { loadInventorySettings } from './settings.ts';

const settings = loadInventorySettings();
const kit = createKit(settings);
// Statements end before the api stops waiting for a reserve (2.5 s, services/api/order-timeouts.ts).
const sql = createDb(settings.databaseUrl, 'shopfast-inventory', { statementTimeoutMs: 2_000 });
// Reservations nobody committed or released in time give their units back within a second.
const expiry = startSweeper({
  what: 'stock reservations',
  intervalMs: 1_000,
  logger: kit.logger,
  sweep: createReservationStore(sql).expireDue,
});
runService(kit, createInventoryApp(kit, { sql }), [() => expiry.stop(), () => sql.end({ timeout: 5 })]);
