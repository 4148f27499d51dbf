import { alertByUid, type AlertDefinition } from '../../domain/alerts.ts';
import type { ShopAdmin } from '../clients/shop-client.ts';
import { CliError } from '../errors.ts';
import { alertSignal, readShopSignals } from '../run/alert-signals.ts';
import { activeRules, type ActiveRule } from './instances.ts';
import type { RuleStatus } from './state-source.ts';

/** An alert that is not Normal, and whether it is on its way back or something still holds it up. */
export type ActiveAlertVerdict = ActiveRule &
  (
    | {
        verdict: 'resolving';
        /** The catalog's worst case from the moment its signal was cleared. */
        secondsLeft: number;
      }
    | {
        verdict: 'held';
        /** What holds it up, in words. */
        heldBy: string;
        /** What `reset` clears for it, in words; undefined when reset cannot help (a failing query). */
        clears?: string;
      }
  );

/**
 * Tells each active alert apart: resolving when nothing the shop can clear holds its condition up
 * any more (its window drains, or the next evaluation finds it false), held otherwise (a fault in
 * force, low stock, a failed-login streak, a query that fails). Pure: the signals are read before.
 */
export function judgeActive(
  statuses: Map<string, RuleStatus>,
  heldBy: (alert: AlertDefinition) => string | undefined,
): ActiveAlertVerdict[] {
  return activeRules(statuses).flatMap((rule): ActiveAlertVerdict[] => {
    const status = statuses.get(rule.uid);
    const alert = alertByUid(rule.uid);
    if (!alert) return [];
    if (status?.health === 'error') {
      return [
        { ...rule, verdict: 'held', heldBy: `its query fails: ${status.lastError ?? 'no reason given'}` },
      ];
    }
    const held = heldBy(alert);
    if (held !== undefined)
      return [{ ...rule, verdict: 'held', heldBy: held, clears: alertSignal(alert).clears }];
    return [{ ...rule, verdict: 'resolving', secondsLeft: alert.expectedSecondsToResolve }];
  });
}

/** judgeActive over the shop's signals as they stand; an unreadable signal holds its alerts up. */
export async function judgeActiveAlerts(
  statuses: Map<string, RuleStatus>,
  shop: ShopAdmin,
): Promise<ActiveAlertVerdict[]> {
  const uids = activeRules(statuses).map((rule) => rule.uid);
  if (uids.length === 0) return [];
  let signals: Awaited<ReturnType<typeof readShopSignals>>;
  try {
    signals = await readShopSignals(shop, uids);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    const unreadable = `cannot tell whether its signal is cleared (${error.message})`;
    return judgeActive(statuses, () => unreadable);
  }
  return judgeActive(statuses, (alert) => alertSignal(alert).heldBy(signals));
}
