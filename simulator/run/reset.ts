import { serviceNames } from '../../domain/services.ts';
import type { ShopClient } from '../clients/shop-client.ts';

export interface ResetOutcome {
  faultsCleared: string[];
  productsRestocked: number;
  failedLoginsCleared: number;
}

/** Every fault off, stock back to seed levels, the failed-login streak cleared. Safe to repeat. */
export async function resetEverything(shop: ShopClient): Promise<ResetOutcome> {
  for (const service of serviceNames) await shop.resetFaults(service);
  const productsRestocked = await shop.resetStock();
  const failedLoginsCleared = await shop.resetLogins();
  return { faultsCleared: [...serviceNames], productsRestocked, failedLoginsCleared };
}
