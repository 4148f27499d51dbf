import { createLogUpdate } from 'log-update';
import picocolors from 'picocolors';
import type { AlertProgress } from '../alerts/watch.ts';
import type { LiveStatus, RunEvent } from '../run/events.ts';
import {
  alertLine,
  clock,
  faultList,
  milliseconds,
  normalLine,
  progressBar,
  calmLine,
  rate,
  refireLine,
  statesUnknown,
  summaryLines,
  unexpectedLine,
  waitingLine,
} from './format.ts';

/** quiet: one line redrawn in place (background traffic left on screen for a whole talk). */
export type OutputMode = 'live' | 'plain' | 'json' | 'quiet';

export interface Reporter {
  onEvent(event: RunEvent): void;
  /** A line outside the run's events (e.g. "stopping…"). */
  note(message: string): void;
  close(): void;
}

export function createReporter(mode: OutputMode, stream: NodeJS.WriteStream = process.stdout): Reporter {
  if (mode === 'json') return new JsonReporter(stream);
  if (mode === 'live') return new LiveReporter(stream);
  if (mode === 'quiet') return new QuietReporter(stream);
  return new PlainReporter(stream);
}

/** One JSON object per line, for machines. */
class JsonReporter implements Reporter {
  constructor(private readonly stream: NodeJS.WriteStream) {}

  onEvent(event: RunEvent): void {
    this.stream.write(`${JSON.stringify(event)}\n`);
  }

  note(message: string): void {
    this.stream.write(`${JSON.stringify({ type: 'note', message })}\n`);
  }

  close(): void {}
}

/** Plain lines when piped: events as they happen and a progress line every 10 s. */
class PlainReporter implements Reporter {
  private lastProgressAt = 0;
  private lastWaiting = { rules: '', atSeconds: -Infinity };

  constructor(private readonly stream: NodeJS.WriteStream) {}

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'start':
        this.line(`${event.scenario}: ${event.story}`);
        this.line(
          `  runs ${clock(event.plannedSeconds)}${event.untilFiring ? ` (until firing, at most ${clock(event.timeoutSeconds)})` : ''}, seed ${event.seed}`,
        );
        for (const alert of event.expected)
          this.line(`  expects ${alert.title} after ~${clock(alert.expectedSeconds)}`);
        if (event.expected.length === 0) this.line('  expects no alert');
        if (event.alertSource === 'preview')
          this.line('  alert states: preview computed from the rule file (Grafana not reachable)');
        if (event.warning) this.line(`  warning: ${event.warning}`);
        return;
      case 'phase':
        this.line(`[${clock(event.atSeconds)}] phase "${event.phase}", faults: ${faultList(event.faults)}`);
        return;
      case 'alert':
        this.line(`[${clock(event.atSeconds)}] alert ${event.title}: ${event.state}`);
        return;
      case 'unexpected':
        this.line(`[${clock(event.atSeconds)}] unexpected alert: ${unexpectedLine(event)}`);
        return;
      case 'waiting': {
        // A line when the rules waited for change, else one every 10 s.
        const rules = JSON.stringify(event.active);
        if (rules === this.lastWaiting.rules && event.elapsedSeconds - this.lastWaiting.atSeconds < 10)
          return;
        this.lastWaiting = { rules, atSeconds: event.elapsedSeconds };
        this.line(waitingLine(event));
        return;
      }
      case 'refire':
        this.line(refireLine(event));
        return;
      case 'normal':
        this.lastWaiting = { rules: '', atSeconds: -Infinity };
        this.line(normalLine(event));
        return;
      case 'progress':
        if (event.elapsedSeconds - this.lastProgressAt < 10) return;
        this.lastProgressAt = event.elapsedSeconds;
        this.line(
          `[${clock(event.elapsedSeconds)}] ${trafficLine(event)}${event.alerts === null ? ` · ${statesUnknown(event.alertSource)}` : ''}`,
        );
        return;
      case 'reset':
        this.line(`reset before ${event.before}`);
        return;
      case 'part-summary':
        this.lastProgressAt = 0;
        for (const line of summaryLines(event)) this.line(line);
        return;
    }
  }

  note(message: string): void {
    this.line(message);
  }

  close(): void {}

  private line(text: string): void {
    this.stream.write(`${text}\n`);
  }
}

/** The live view on a terminal: one frame redrawn in place (log-update), colours by picocolors. */
class LiveReporter implements Reporter {
  private readonly colors = picocolors.createColors(true);
  private readonly render: ReturnType<typeof createLogUpdate>;
  private header: string[] = [];
  private notes: string[] = [];

  constructor(private readonly stream: NodeJS.WriteStream) {
    this.render = createLogUpdate(stream);
  }

  onEvent(event: RunEvent): void {
    const c = this.colors;
    switch (event.type) {
      case 'start':
        this.header = [`${c.bold('shopfast-sim')} · ${c.cyan(event.scenario)} — ${event.story}`];
        if (event.warning) this.header.push(c.yellow(`warning: ${event.warning}`));
        return;
      case 'progress':
        this.render([...this.header, ...this.frame(event), ...this.notes].join('\n'));
        return;
      case 'reset':
        this.print(c.dim(`reset before ${event.before}`));
        return;
      case 'unexpected':
        this.notes = [c.red(`unexpected alert: ${unexpectedLine(event)}`)];
        return;
      case 'waiting':
        this.render(c.yellow(waitingLine(event)));
        return;
      case 'refire':
        this.print(c.yellow(refireLine(event)));
        return;
      case 'normal':
        this.print(c.green(normalLine(event)));
        return;
      case 'part-summary':
        this.render.clear();
        this.print(summaryLines(event).join('\n'));
        return;
      default:
        return;
    }
  }

  note(message: string): void {
    this.notes = [this.colors.yellow(message)];
  }

  close(): void {
    this.render.done();
  }

  private print(text: string): void {
    this.render.clear();
    this.stream.write(`${text}\n`);
  }

  private frame(status: LiveStatus): string[] {
    const c = this.colors;
    const left = Math.max(0, status.totalSeconds - status.elapsedSeconds);
    const width = Math.max(0, ...(status.alerts ?? []).map((alert) => alert.title.length));
    const alerts =
      status.alerts === null
        ? [c.yellow(statesUnknown(status.alertSource))]
        : status.alerts.length === 0
          ? [c.dim('none expected')]
          : status.alerts.map(
              (alert) => `${alert.title.padEnd(width)}  ${this.colourState(alert, status.alertSource)}`,
            );
    return [
      `${c.dim('phase ')} ${status.phase}`,
      `${progressBar(status.elapsedSeconds / status.totalSeconds)} ${clock(status.elapsedSeconds)} / ${clock(status.totalSeconds)} (${clock(left)} left)`,
      `${c.dim('rate  ')} ${trafficLine(status, c)}`,
      `${c.dim('faults')} ${faultList(status.faults)}`,
      ...alerts.map((line, index) => `${c.dim(index === 0 ? 'alerts' : '      ')} ${line}`),
      c.dim('Ctrl-C stops the traffic and undoes the faults'),
    ];
  }

  private colourState(alert: AlertProgress, source: LiveStatus['alertSource']): string {
    const text = alertLine(alert, source);
    if (alert.state === 'Firing') return this.colors.red(text);
    if (alert.state === 'Pending') return this.colors.yellow(text);
    return this.colors.green(text);
  }
}

/**
 * One calm line: what runs, for how long, the traffic, redrawn in place on a terminal (a line a
 * minute when piped); nothing scrolls until the summary at the end. Alerts are Grafana's to show.
 */
class QuietReporter implements Reporter {
  private readonly render: ReturnType<typeof createLogUpdate> | null;
  private lastLineAt = -Infinity;

  constructor(private readonly stream: NodeJS.WriteStream) {
    this.render = stream.isTTY ? createLogUpdate(stream) : null;
  }

  onEvent(event: RunEvent): void {
    switch (event.type) {
      case 'start':
        this.print(`${event.scenario}: ${event.story}`);
        return;
      case 'progress': {
        const line = calmLine(event);
        if (this.render) this.render(line);
        else if (event.elapsedSeconds - this.lastLineAt >= 60) {
          this.lastLineAt = event.elapsedSeconds;
          this.stream.write(`${line}\n`);
        }
        return;
      }
      case 'part-summary':
        // Background traffic reads no alert states: no "unknown" line for what it never asked.
        this.print(summaryLines(event, { alerts: event.alertSource !== null }).join('\n'));
        return;
      default:
        return;
    }
  }

  note(message: string): void {
    this.print(message);
  }

  close(): void {
    this.render?.done();
  }

  private print(text: string): void {
    this.render?.clear();
    this.stream.write(`${text}\n`);
  }
}

function trafficLine(status: LiveStatus, c?: { red(text: string): string }): string {
  const errors = `errors ${status.errorPercent.toFixed(1)} %`;
  return [
    `${rate(status.achievedRate)} journeys (target ${rate(status.targetRate)})`,
    `${rate(status.requestRate)} requests`,
    c && status.errorPercent > 5 ? c.red(errors) : errors,
    `p95 ${milliseconds(status.p95Ms)}`,
    `in flight ${status.inFlight}`,
    `dropped ${status.dropped}`,
  ].join(' · ');
}
