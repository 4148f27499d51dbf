import { createDb, createKit, runService } from '../kit/index.ts';
import { createApiClient } from './api-client.ts';
import { createFrontendApp } from './app.ts';
import { IncidentArchive } from './incident-archive.ts';
import { IncidentStore } from './incidents.ts';
import { Sessions, sessionKeyFrom } from './session.ts';
import { loadFrontendSettings } from './settings.ts';
import { createShopperRecords } from './shopper-records.ts';
import { StatusStream } from './status-stream.ts';

const settings = loadFrontendSettings();
const kit = createKit(settings);
const sql = createDb(settings.databaseUrl, 'shopfast-frontend');
const incidents = new IncidentStore();
const archive = new IncidentArchive(sql, incidents, kit.logger);
void archive.restore();
const statusStream = new StatusStream(incidents);
const api = createApiClient(settings.apiUrl);
const sessionKey = sessionKeyFrom(settings.webhookSecret);
kit.logger.info(
  { sessionKey: sessionKey.source },
  `session cookies are signed with a key ${sessionKey.source}`,
);
const accounts = { records: createShopperRecords(sql), sessions: new Sessions(sessionKey) };
const app = createFrontendApp(kit, { api, incidents, statusStream, archive, accounts });
runService(kit, app, [() => archive.close(), () => sql.end({ timeout: 5 })], {
  endStreams: () => statusStream.endAll(),
});
