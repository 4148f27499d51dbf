export { sameToken } from './admin.ts';
export { createServiceApp, type ReadinessChecks, type ServiceAppOptions } from './app.ts';
export { loadConfig, defaultPorts, type ServiceConfig, type ServiceName } from './config.ts';
export type { KitEnv } from './context.ts';
export { createDb, isDatabaseUnavailable, type Sql } from './db.ts';
export { HttpError, errorResponse, handleError, handleNotFound, type ErrorEnvelope } from './errors.ts';
export { createKit, type ServiceKit } from './kit.ts';
export { runService } from './server.ts';
export { jsonBody, params } from './validation.ts';
