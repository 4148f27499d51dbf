import { Worker } from 'node:worker_threads';

// Runs in a worker thread so the service's own event loop (and /metrics) keeps answering while the
// process as a whole burns CPU. In each 100 ms slice it spins until the *process* has used `fraction`
// of the slice in CPU time (process.cpuUsage counts every thread), then sleeps the rest: what
// process_cpu_seconds_total shows is the fraction asked for, even on a busy machine where spinning
// by the wall clock would lose the time the thread waits to be scheduled.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
let fraction = workerData.fraction;
parentPort.on('message', (next) => { fraction = next; });
const sliceMs = 100;
const cpuMs = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
function slice() {
  const startedAt = Date.now();
  const cpuTarget = cpuMs() + sliceMs * fraction;
  // Never past the slice: a machine too busy to give the time loses it rather than piling it up.
  while (cpuMs() < cpuTarget && Date.now() - startedAt < sliceMs) {}
  setTimeout(slice, Math.max(0, sliceMs - (Date.now() - startedAt)));
}
slice();
`;

/** Keeps the process's CPU use at (at least) a fraction of one core; 0 stops the worker. */
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
