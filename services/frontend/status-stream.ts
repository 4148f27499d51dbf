import { getConnInfo } from '@hono/node-server/conninfo';
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
  /** Listeners from one address; past this many, its new ones get 429 (one client cannot take every slot). */
  maxPerClient?: number;
}

/**
 * The socket's address, not X-Forwarded-For: a header anyone can vary would dodge the per-client
 * limit. In-process requests (tests) have no socket.
 */
function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Server-sent events for the status page: a snapshot on connect and after every incident change,
 * rendered by the same components as the page itself.
 */
export class StatusStream {
  private readonly enders = new Set<() => void>();
  private readonly perClient = new Map<string, number>();
  private readonly heartbeatMs: number;
  private readonly maxClients: number;
  private readonly maxPerClient: number;

  constructor(
    private readonly incidents: IncidentStore,
    options: StatusStreamOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.maxClients = options.maxClients ?? 100;
    this.maxPerClient = options.maxPerClient ?? 10;
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
    const client = clientAddress(c);
    const held = this.perClient.get(client) ?? 0;
    if (held >= this.maxPerClient) {
      throw new HttpError(
        429,
        'too_many_listeners_from_client',
        `At most ${this.maxPerClient} live status pages per address; close some tabs`,
      );
    }
    // Counted now, not when the stream starts, so a burst of requests cannot slip past the limit.
    this.perClient.set(client, held + 1);
    const release = () => {
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left > 0) this.perClient.set(client, left);
      else this.perClient.delete(client);
    };
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
        release();
      }
    });
  }
}
