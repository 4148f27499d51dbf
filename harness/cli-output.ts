/** What one CLI run printed, read as it arrives, whether the CLI runs as a child process or in-process. */

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout lines that are JSON objects (the --json events). */
  events: Record<string, unknown>[];
  /** When each event was read (epoch ms), in the order of events: the runs' time windows. */
  receivedAt: number[];
}

export type EventMatch = (event: Record<string, unknown>) => boolean;

/** A CLI run under way: its --json events as they come, and its outcome once it has ended. */
export interface CliRun {
  /** Resolves with the first --json event that matches, or rejects after timeoutMs or when the run ends first. */
  waitForEvent(match: EventMatch, timeoutMs: number): Promise<Record<string, unknown>>;
  exited: Promise<CliOutcome>;
}

export class CliOutput {
  stdout = '';
  stderr = '';
  readonly events: Record<string, unknown>[] = [];
  readonly receivedAt: number[] = [];
  private partial = '';
  private readonly listeners = new Set<(event: Record<string, unknown> | 'ended') => void>();

  addStdout(chunk: string): void {
    this.stdout += chunk;
    this.partial += chunk;
    const lines = this.partial.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const event = parseEvent(line);
      if (!event) continue;
      this.events.push(event);
      this.receivedAt.push(Date.now());
      for (const listener of this.listeners) listener(event);
    }
  }

  addStderr(chunk: string): void {
    this.stderr += chunk;
  }

  /** The run is over: waits still pending fail at once. */
  end(code: number | null): CliOutcome {
    for (const listener of this.listeners) listener('ended');
    const { stdout, stderr, events, receivedAt } = this;
    return { code, stdout, stderr, events, receivedAt };
  }

  waitForEvent(match: EventMatch, timeoutMs: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const seen = this.events.find(match);
      if (seen) return resolve(seen);
      const stop = (error?: Error, event?: Record<string, unknown>) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        if (error) reject(error);
        else resolve(event!);
      };
      const timer = setTimeout(
        () => stop(new Error(`no matching event within ${timeoutMs} ms; stderr: ${this.stderr.slice(-500)}`)),
        timeoutMs,
      );
      const listener = (event: Record<string, unknown> | 'ended') => {
        if (event === 'ended') {
          stop(new Error(`the CLI ended before a matching event; stderr: ${this.stderr.slice(-500)}`));
        } else if (match(event)) {
          stop(undefined, event);
        }
      };
      this.listeners.add(listener);
    });
  }
}

function parseEvent(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
