import { createDb, createKit, loadConfig, runService } from '../kit/index.ts';
import { createInventoryApp } from './app.ts';

const kit = createKit(loadConfig('inventory'));
const sql = createDb(kit.config.databaseUrl, 'shopfast-inventory');
runService(kit, createInventoryApp(kit, { sql }), [() => sql.end({ timeout: 5 })]);
