import { z } from 'zod';
import { alertByUid, alertCatalog, type AlertDefinition } from '../../domain/alerts.ts';
import { scenarioNames, type PhasedScenarioName } from '../../domain/scenarios.ts';
import { findScenario } from '../scenarios/registry.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { StageRefusal } from './refusal.ts';

// The bodies the page's controls send, checked before anything is changed.

const name = z.string().min(1).max(64);

export const runRequest = z.strictObject({ scenario: name });
export const alertRequest = z.strictObject({ alert: name });
export const silenceRequest = z.strictObject({
  alert: name,
  minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
});
export const boothRequest = z.strictObject({
  scenarios: z.array(name).min(1).max(12),
  /** Shuffles each pass with this seed; absent: the order given. */
  seed: z.number().int().min(0).max(0xffffffff).nullable().default(null),
});

/** The body, parsed, or a 400 that says what is wrong with it. */
export function parseRequest<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  throw new StageRefusal(400, 'bad_request', problems.join('; '));
}

export function scenarioNamed(scenario: string): Scenario {
  const found = findScenario(scenario);
  if (!found)
    throw new StageRefusal(
      400,
      'unknown_scenario',
      `unknown scenario "${scenario}": choose one of ${scenarioNames.join(', ')}`,
    );
  return found;
}

export function alertNamed(uid: string): AlertDefinition {
  const alert = alertByUid(uid);
  if (!alert) {
    throw new StageRefusal(
      400,
      'unknown_alert',
      `unknown alert "${uid}": choose one of ${alertCatalog.map((a) => a.uid).join(', ')}`,
    );
  }
  return alert;
}

/** The booth plays phased scenarios (each with its own reset and wait for Normal), not the `all` sequence. */
export function boothScenarioNamed(scenario: string): PhasedScenarioName {
  const found = scenarioNamed(scenario);
  if ('sequence' in found)
    throw new StageRefusal(
      400,
      'unknown_scenario',
      `the booth plays single scenarios; "${scenario}" is a sequence: list its parts instead`,
    );
  return found.name;
}
