import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { HttpError, type KitEnv } from '../kit/index.ts';
import type { IncidentStore } from './incidents.ts';
import { renderIncidentFragments } from './views/incidents.tsx';

export interface StatusStreamOptions {
  /** Comment lines that keep proxies and browsers from timing the stream out. */
  heartbeatMs?: number;
  /** Each listener holds a connection open; past this many, new ones get 503. */
  maxClients?: number;
}

/**
 * Server-sent events for the status page: a snapshot on connect and after every incident change,
 * rendered by the same components as the page itself.
 */
export class StatusStream {
  private readonly enders = new Set<() => void>();
  private readonly heartbeatMs: number;
  private readonly maxClients: number;

  constructor(
    private readonly incidents: IncidentStore,
    options: StatusStreamOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.maxClients = options.maxClients ?? 100;
  }

  get clients(): number {
    return this.enders.size;
  }

  /** Ends every open stream, so a shutdown does not wait for browsers to hang up. */
  endAll(): void {
    for (const end of this.enders) end();
  }

  handle(c: Context<KitEnv>): Response {
    if (this.enders.size >= this.maxClients) {
      throw new HttpError(503, 'too_many_listeners', `At most ${this.maxClients} live status pages at once`);
    }
    return streamSSE(c, async (stream) => {
      let end!: () => void;
      const ended = new Promise<void>((resolve) => (end = resolve));
      this.enders.add(end);
      stream.onAbort(end);
      const send = async (retry?: number) => {
        const fragments = await renderIncidentFragments(this.incidents.list());
        await stream.writeSSE({ event: 'incidents', data: JSON.stringify(fragments), retry });
      };
      const unsubscribe = this.incidents.subscribe(() => void send());
      const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n'), this.heartbeatMs);
      try {
        await send(2_000); // browsers reconnect after 2 s instead of their default 3-5 s
        await ended;
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
        this.enders.delete(end);
      }
    });
  }
}
