import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * Turns on the shared stack. The files that use it change what every other one would see (faults,
 * resets, alert states, a stopped database) or measure rates and latencies, so they run one at a
 * time, while the unit files run beside them. The keeper lives in vitest's main process (the global
 * setup starts it); a file's worker asks for the turn before the file loads and gives it back after
 * its last hook, or by ending: the turn is a TCP connection, so a file that crashes cannot keep it.
 */

export interface TurnKeeper {
  port: number;
  close(): Promise<void>;
}

export async function startTurnKeeper(): Promise<TurnKeeper> {
  const queue: Socket[] = [];
  const server = createServer((socket) => {
    queue.push(socket);
    if (queue.length === 1) socket.write('go\n');
    socket.on('error', () => {}); // 'close' follows and hands the turn on.
    socket.on('close', () => {
      const index = queue.indexOf(socket);
      queue.splice(index, 1);
      if (index === 0) queue[0]?.write('go\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of queue.splice(0)) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Waits for the turn; resolves with what gives it back. */
export function takeTurn(port: number): Promise<() => Promise<void>> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('data', () => resolve(() => new Promise((done) => socket.end(done))));
  });
}
