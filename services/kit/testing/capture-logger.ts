import pino from 'pino';

/** A debug-level logger whose lines the test can read back, parsed. */
export function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}
