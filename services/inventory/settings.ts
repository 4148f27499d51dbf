import { z } from 'zod';
import {
  databaseVariables,
  kitSettings,
  kitVariables,
  loadSettings,
  parseSettings,
  type Environment,
  type KitSettings,
} from '../kit/settings.ts';

export const inventoryVariables = z.object({ ...kitVariables('inventory'), ...databaseVariables });

export interface InventorySettings extends KitSettings {
  databaseUrl: string;
}

export function inventorySettingsFrom(env: Environment): InventorySettings {
  const e = parseSettings(inventoryVariables, env, 'inventory');
  return { ...kitSettings('inventory', e), databaseUrl: e.DATABASE_URL };
}

export const loadInventorySettings = () => loadSettings(inventorySettingsFrom);
