import { z } from 'zod';
import {
  loadSettings,
  parseSettings,
  tracingSettings,
  tracingVariables,
  type Environment,
  type TracingSettings,
} from '../services/kit/settings.ts';
import { exitCodes } from './errors.ts';

/**
 * What `shopfast-sim` reads from its environment at start-up: tracing. Where the services are and
 * the credentials come from targets.ts, where flags win over the environment and the stack's files.
 */
export const simulatorVariables = z.object({ ...tracingVariables });

export interface SimulatorSettings {
  tracing: TracingSettings;
}

export function simulatorSettingsFrom(env: Environment): SimulatorSettings {
  return { tracing: tracingSettings(parseSettings(simulatorVariables, env, 'shopfast-sim')) };
}

/** A bad value is a usage error: the simulator exits 2 with the message. */
export const loadSimulatorSettings = () => loadSettings(simulatorSettingsFrom, exitCodes.usage);
