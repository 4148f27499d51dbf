import type { Logger } from 'pino';
import type { Deadline } from './deadline.ts';

/** Hono environment shared by every service: what the kit's middleware puts on the context. */
export interface KitEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    /** When the caller stops waiting (see deadline.ts). */
    deadline: Deadline;
  };
}
