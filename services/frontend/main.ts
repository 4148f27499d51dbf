import { createKit, loadConfig, runService } from '../kit/index.ts';
import { createApiClient } from './api-client.ts';
import { createFrontendApp } from './app.ts';
import { IncidentStore } from './incidents.ts';
import { StatusStream } from './status-stream.ts';

const kit = createKit(loadConfig('frontend'));
const incidents = new IncidentStore();
const statusStream = new StatusStream(incidents);
const app = createFrontendApp(kit, { api: createApiClient(kit.config.apiUrl), incidents, statusStream });
runService(kit, app, [], { endStreams: () => statusStream.endAll() });
