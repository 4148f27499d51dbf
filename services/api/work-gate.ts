/** Thrown by WorkGate.run when every slot is busy and the queue is full. */
export class GateFullError extends Error {
  constructor(readonly limits: { concurrency: number; maxQueued: number }) {
    super(`all ${limits.concurrency} slots busy and ${limits.maxQueued} waiting`);
    this.name = 'GateFullError';
  }
}

export interface WorkGateLimits {
  /** Tasks running at once. */
  concurrency: number;
  /** Tasks waiting for a slot; one more is refused at once instead of waiting. */
  maxQueued: number;
}

/**
 * Runs at most `concurrency` tasks at once, queues up to `maxQueued` more in arrival order and
 * refuses the rest, so a flood costs a bounded amount of work and the queue never grows.
 */
export class WorkGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limits: WorkGateLimits) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** True when run() would refuse a task now; lets a caller skip the work that leads up to it. */
  get full(): boolean {
    return this.running >= this.limits.concurrency && this.waiting.length >= this.limits.maxQueued;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.concurrency) {
      if (this.full) throw new GateFullError(this.limits);
      // The slot is handed over by the task that finishes, so the count never exceeds the limit.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
