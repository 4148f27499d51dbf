import { z } from 'zod';
import { defaultUrl } from '../../domain/services.ts';
import {
  databaseVariables,
  httpUrl,
  kitSettings,
  kitVariables,
  loadSettings,
  parseSettings,
  secret,
  type Environment,
  type KitSettings,
} from '../kit/settings.ts';

export const frontendVariables = z.object({
  ...kitVariables('frontend'),
  ...databaseVariables,
  API_URL: httpUrl().default(defaultUrl('api')).describe('Where the frontend reaches the api'),
  ALERT_WEBHOOK_SECRET: secret()
    .optional()
    .describe(
      "The secret Grafana's contact point sends to `/api/alerts/webhook`; the key that signs shoppers' session cookies is derived from it",
    )
    .meta({ unset: 'the webhook answers 401, and sessions end when the frontend restarts' }),
});

export interface FrontendSettings extends KitSettings {
  databaseUrl: string;
  apiUrl: string;
  webhookSecret: string | undefined;
}

export function frontendSettingsFrom(env: Environment): FrontendSettings {
  const e = parseSettings(frontendVariables, env, 'frontend');
  return {
    ...kitSettings('frontend', e),
    databaseUrl: e.DATABASE_URL,
    apiUrl: e.API_URL,
    webhookSecret: e.ALERT_WEBHOOK_SECRET,
  };
}

export const loadFrontendSettings = () => loadSettings(frontendSettingsFrom);
