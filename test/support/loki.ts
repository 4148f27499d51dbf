import type { RecordedLogEntry } from '../../scripts/native/loki-standin.ts';

/** A recorded line with pino's JSON parsed. */
export interface RecordedLog extends RecordedLogEntry {
  fields: Record<string, unknown>;
}

function recorderUrl(lokiRecorderUrl: string | null): string {
  if (!lokiRecorderUrl) throw new Error('the tests run against a real Loki (LOKI_URL), not the recorder');
  return lokiRecorderUrl;
}

/** What the services pushed to the Loki stand-in so far, optionally one service's lines only. */
export async function recordedLogs(lokiRecorderUrl: string | null, service?: string): Promise<RecordedLog[]> {
  const query = service === undefined ? '' : `?service=${encodeURIComponent(service)}`;
  const response = await fetch(`${recorderUrl(lokiRecorderUrl)}/recorded${query}`);
  if (!response.ok) throw new Error(`the Loki stand-in answered ${response.status}`);
  const entries = (await response.json()) as RecordedLogEntry[];
  return entries.map((e) => ({ ...e, fields: parseLine(e.line) }));
}

/** Forgets everything recorded (all services). */
export async function clearRecordedLogs(lokiRecorderUrl: string | null): Promise<void> {
  const response = await fetch(`${recorderUrl(lokiRecorderUrl)}/recorded`, { method: 'DELETE' });
  if (!response.ok) throw new Error(`the Loki stand-in answered ${response.status}`);
}

function parseLine(line: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
