import type { Hono } from 'hono';
import type { KitEnv } from '../context.ts';

export type ReadinessChecks = Record<string, () => Promise<unknown>>;

const readinessTimeoutMs = 1_500;

/** 'ok', or why the check failed; a check that hangs fails after readinessTimeoutMs. */
async function runCheck(check: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${readinessTimeoutMs} ms`)),
      readinessTimeoutMs,
    );
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
}

/** GET /health (the process answers) and GET /ready (each dependency answers, else 503 naming it). */
export interface HealthRoutesOptions {
  /** The name /health answers with. */
  service: string;
  /** What /ready checks, by name. */
  readiness: ReadinessChecks;
}

export function addHealthRoutes(app: Hono<KitEnv>, { service, readiness }: HealthRoutesOptions): void {
  app.get('/health', (c) => c.json({ status: 'ok', service }));
  app.get('/ready', async (c) => {
    const names = Object.keys(readiness);
    const results = await Promise.all(names.map((name) => runCheck(readiness[name]!)));
    const checks = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
    const ready = results.every((r) => r === 'ok');
    return c.json({ status: ready ? 'ready' : 'not_ready', checks }, ready ? 200 : 503);
  });
}
