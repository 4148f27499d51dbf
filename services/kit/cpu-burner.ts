import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// Runs in worker threads so the service's own event loop (and /metrics) keeps answering while the
// process as a whole burns CPU. In each 100 ms slice (aligned to the clock, so the threads share
// it) every thread spins until the *process* has used `fraction` of the slice in CPU time
// (process.cpuUsage counts every thread), then sleeps the rest: what process_cpu_seconds_total
// shows is the fraction asked for, even on a busy machine where spinning by the wall clock would
// lose the time a thread waits to be scheduled.
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
  while (cpuMs() < cpuTarget && Date.now() < startedAt - (startedAt % sliceMs) + sliceMs) {}
  setTimeout(slice, sliceMs - (Date.now() % sliceMs));
}
setTimeout(slice, sliceMs - (Date.now() % sliceMs));
`;

/**
 * Two threads where the machine has two cores: the scheduler shares a busy machine's cores among the
 * threads that want them, so a lone thread gets a full core only while fewer than two others run,
 * and a presenter's laptop (or a test suite) is rarely that quiet. The threads stop together once
 * the process has its share, so they burn what was asked, not twice that.
 */
const burnThreads = Math.min(2, availableParallelism());

/** Keeps the process's CPU use at (at least) a fraction of one core; 0 stops the workers. */
export class CpuBurner {
  private workers: Worker[] = [];

  async set(fraction: number): Promise<void> {
    if (fraction <= 0) return this.stop();
    if (this.workers.length > 0) {
      for (const worker of this.workers) worker.postMessage(fraction);
      return;
    }
    this.workers = Array.from({ length: burnThreads }, () => {
      const worker = new Worker(workerSource, { eval: true, workerData: { fraction } });
      worker.unref();
      return worker;
    });
  }

  async stop(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
