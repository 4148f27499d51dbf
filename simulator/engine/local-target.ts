import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/**
 * A plain node:http server in a worker thread, for the engine's tests and benchmark: the server
 * gets its own event loop, so blocking it (a stall) does not block the client under test.
 */
const serverSource = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
let delayMs = 0;
let open = 0;
let maxOpen = 0;
let total = 0;
const server = http.createServer((req, res) => {
  total += 1;
  open += 1;
  maxOpen = Math.max(maxOpen, open);
  req.resume();
  const answer = () => {
    open -= 1;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  };
  if (delayMs > 0) setTimeout(answer, delayMs);
  else answer();
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }));
parentPort.on('message', (message) => {
  if (message.type === 'delay') delayMs = message.ms;
  if (message.type === 'stall') {
    // Block the event loop, as a garbage-collection pause or a CPU-bound handler would.
    setImmediate(() => {
      const until = Date.now() + message.ms;
      while (Date.now() < until);
    });
  }
  if (message.type === 'stats') parentPort.postMessage({ type: 'stats', total, maxOpen });
  if (message.type === 'close') server.close(() => process.exit(0));
});
`;

export interface LocalTargetStats {
  total: number;
  maxOpen: number;
}

export class LocalTarget {
  private constructor(
    private readonly worker: Worker,
    readonly origin: string,
  ) {}

  static async start(): Promise<LocalTarget> {
    const worker = new Worker(serverSource, { eval: true });
    const [message] = (await once(worker, 'message')) as [{ port: number }];
    return new LocalTarget(worker, `http://127.0.0.1:${message.port}`);
  }

  /** Every response waits this long (without blocking the server). */
  setDelay(ms: number): void {
    this.worker.postMessage({ type: 'delay', ms });
  }

  /** Blocks the server's event loop for this long. */
  stall(ms: number): void {
    this.worker.postMessage({ type: 'stall', ms });
  }

  async stats(): Promise<LocalTargetStats> {
    this.worker.postMessage({ type: 'stats' });
    const [message] = (await once(this.worker, 'message')) as [LocalTargetStats];
    return message;
  }

  async close(): Promise<void> {
    this.worker.postMessage({ type: 'close' });
    await once(this.worker, 'exit');
  }
}
