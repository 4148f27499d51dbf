import { Worker } from 'node:worker_threads';

// Runs in a worker thread so the service's own event loop (and /metrics) keeps answering while the
// process as a whole burns CPU. Each 100 ms slice spins for `fraction` of it and sleeps the rest.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
let fraction = workerData.fraction;
parentPort.on('message', (next) => { fraction = next; });
const sliceMs = 100;
function slice() {
  const busyUntil = Date.now() + sliceMs * fraction;
  while (Date.now() < busyUntil) {}
  setTimeout(slice, sliceMs * (1 - fraction));
}
slice();
`;

/** Burns a fraction of one core; 0 stops the worker. */
export class CpuBurner {
  private worker: Worker | undefined;

  async set(fraction: number): Promise<void> {
    if (fraction <= 0) return this.stop();
    if (this.worker) {
      this.worker.postMessage(fraction);
      return;
    }
    this.worker = new Worker(workerSource, { eval: true, workerData: { fraction } });
    this.worker.unref();
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}
