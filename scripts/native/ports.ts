import { createServer, type Server } from 'node:net';

/** Tries to bind 127.0.0.1:port; resolves true when it could (and releases it at once). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * n distinct ports the kernel just handed out as free (all held open together, so none repeats).
 * Another process could still take one before we use it; on a test machine that is rare enough.
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => listenOnAnyPort()));
  const ports = servers.map((s) => {
    const address = s.address();
    return typeof address === 'object' && address ? address.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function listenOnAnyPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => resolve(server));
  });
}

export class PortInUseError extends Error {
  constructor(readonly taken: { what: string; port: number }[]) {
    super(
      `port${taken.length > 1 ? 's' : ''} already in use: ` +
        taken.map((t) => `${t.port} (${t.what})`).join(', ') +
        '. Stop whatever listens there, or choose other ports.',
    );
    this.name = 'PortInUseError';
  }
}

/** Fails with one message naming every taken port, before anything has been started. */
export async function assertPortsFree(wanted: { what: string; port: number }[]): Promise<void> {
  const checks = await Promise.all(wanted.map(async (w) => ({ ...w, free: await isPortFree(w.port) })));
  const taken = checks.filter((c) => !c.free).map(({ what, port }) => ({ what, port }));
  if (taken.length > 0) throw new PortInUseError(taken);
}

/** host:port as Go's flags take it (`--web.listen-address`): an IPv6 host in brackets. */
export function listenAddress(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
