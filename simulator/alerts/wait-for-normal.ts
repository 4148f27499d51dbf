import { setTimeout as sleep } from 'node:timers/promises';
import { activeRules, type ActiveRule } from './instances.ts';
import type { AlertStateSource } from './state-source.ts';
import type { RuleStatus } from './state-source.ts';
import type { RunEvent } from '../run/events.ts';

export interface NormalWait {
  source: AlertStateSource;
  /** The rules to wait for; default every rule of the catalog. */
  uids?: readonly string[];
  timeoutSeconds: number;
  pollMs?: number;
  signal?: AbortSignal;
  /** After each answer: the rules still not Normal and every status, with the seconds waited. */
  onPoll?(poll: { active: ActiveRule[]; statuses: Map<string, RuleStatus>; elapsedSeconds: number }): void;
  now?: () => number;
  pause?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface NormalWaitResult {
  normal: boolean;
  /** Stopped by the signal before the rules were Normal. */
  interrupted: boolean;
  elapsedSeconds: number;
  /** The rules still not Normal when the wait ended. */
  active: ActiveRule[];
}

const abortable = (ms: number, signal?: AbortSignal) =>
  sleep(ms, undefined, signal ? { signal } : {}).catch(() => undefined);

/** Polls the source until every rule asked for is Normal, the timeout passes, or the signal fires. */
export async function waitUntilNormal(wait: NormalWait): Promise<NormalWaitResult> {
  const now = wait.now ?? Date.now;
  const pause = wait.pause ?? abortable;
  const started = now();
  const elapsed = () => (now() - started) / 1000;
  for (;;) {
    const statuses = await wait.source.ruleStatuses();
    const active = activeRules(statuses, wait.uids);
    wait.onPoll?.({ active, statuses, elapsedSeconds: elapsed() });
    if (active.length === 0) return { normal: true, interrupted: false, elapsedSeconds: elapsed(), active };
    if (wait.signal?.aborted || elapsed() >= wait.timeoutSeconds) {
      return { normal: false, interrupted: wait.signal?.aborted ?? false, elapsedSeconds: elapsed(), active };
    }
    await pause(wait.pollMs ?? 2_000, wait.signal);
  }
}

/** waitUntilNormal, telling the reporter about each poll ('waiting') and the end ('normal'). */
export async function waitUntilNormalReported(
  wait: NormalWait & { reason: string; onEvent(event: RunEvent): void },
): Promise<NormalWaitResult> {
  const alertSource = wait.source.kind;
  const result = await waitUntilNormal({
    ...wait,
    onPoll: (poll) => {
      wait.onPoll?.(poll);
      const { active, elapsedSeconds } = poll;
      if (active.length === 0) return;
      wait.onEvent({
        type: 'waiting',
        reason: wait.reason,
        alertSource,
        active,
        elapsedSeconds,
        timeoutSeconds: wait.timeoutSeconds,
      });
    },
  });
  if (result.normal) {
    wait.onEvent({ type: 'normal', reason: wait.reason, alertSource, elapsedSeconds: result.elapsedSeconds });
  }
  return result;
}
