import { createServer, type Server } from 'node:net';

/** Tries to bind 127.0.0.1:port; resolves true when it could (and releases it at once). */
export function isPortFree(port: number): Promise<boolean> {
  return listenOn(port).then(
    (server) => new Promise<boolean>((resolve) => server.close(() => resolve(true))),
    () => false,
  );
}

/**
 * Where random ports come from: below the ranges the kernel takes outgoing connections' local ports
 * from (Linux 32768–60999, macOS and Windows 49152–65535). A port the kernel hands out for `listen(0)`
 * lies in that range, and between choosing it and a service binding it any outgoing connection (a
 * scrape, a database client) may take it; these ports only another listener can take.
 */
export const randomPortRange = { from: 20_000, to: 32_767 } as const;

/**
 * n distinct free ports, drawn at random from randomPortRange, all held open together while they are
 * chosen (so none repeats). Another process can still take one before it is used; a stack that
 * meets EADDRINUSE starts again on new ones (test/support/test-stack.ts).
 */
export async function freePorts(n: number): Promise<number[]> {
  const held: Server[] = [];
  const span = randomPortRange.to - randomPortRange.from + 1;
  for (let tries = 0; held.length < n; tries++) {
    if (tries > 10 * n + 100)
      throw new Error(`no ${n} free ports between ${randomPortRange.from} and ${randomPortRange.to}`);
    const port = randomPortRange.from + Math.floor(Math.random() * span);
    if (held.some((server) => portOf(server) === port)) continue;
    const server = await listenOn(port).catch(() => null);
    if (server) held.push(server);
  }
  const ports = held.map(portOf);
  await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function portOf(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server));
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
