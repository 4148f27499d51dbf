import type { Logger } from 'pino';

/** Hono environment shared by every service: what the kit's middleware puts on the context. */
export interface KitEnv {
  Variables: {
    requestId: string;
    logger: Logger;
  };
}
