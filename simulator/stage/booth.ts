import type { PhasedScenarioName } from '../../domain/scenarios.ts';
import type { AlertStateSource } from '../alerts/state-source.ts';
import type { ShopClient } from '../clients/shop-client.ts';
import type { Targets } from '../clients/targets.ts';
import { verdict } from '../rehearsal/rehearsal.ts';
import { rehearse } from '../rehearsal/rehearse.ts';
import { phasedScenario } from '../scenarios/registry.ts';
import { boothOrder } from './booth-order.ts';
import type { BoothView } from './snapshot.ts';
import type { StageState } from './stage-state.ts';

/** A booth runs all day: the page shows the count and only the latest misses. */
const keptMisses = 20;

export interface BoothOptions {
  state: StageState;
  targets: Targets;
  shop: ShopClient;
  source: AlertStateSource;
  scenarios: PhasedScenarioName[];
  /** Shuffles each pass; null plays the list as given. */
  seed: number | null;
  signal: AbortSignal;
}

/**
 * Booth mode: the chosen scenarios again and again until stopped, each played as `rehearse` plays
 * it — reset, wait for every alert to be Normal, run until its alerts fire, reset, follow them back
 * to Normal — so each cycle starts clean and a miss (late, not fired, not resolved, unexpected) is
 * counted with the rehearsal's verdict.
 */
export async function runBooth(options: BoothOptions): Promise<BoothView> {
  const { state, signal } = options;
  const booth: BoothView = {
    running: true,
    scenarios: options.scenarios,
    seed: options.seed,
    cycles: 0,
    rounds: 0,
    missed: 0,
    misses: [],
    current: null,
  };
  const show = () => state.setBooth({ ...booth, misses: [...booth.misses] });
  try {
    for (let round = 0; !signal.aborted; round += 1) {
      for (const name of boothOrder(options.scenarios, round, options.seed)) {
        if (signal.aborted) break;
        booth.current = name;
        show();
        const result = await rehearse({
          source: options.source,
          shop: options.shop,
          targets: options.targets,
          scenarios: [phasedScenario(name)],
          signal,
          onEvent: (event) => state.onRunEvent(event),
          ...(options.seed === null ? {} : { seed: options.seed + booth.cycles }),
        });
        if (result.interrupted) break;
        booth.cycles += 1;
        for (const row of result.rows.filter((r) => r.problems.length > 0)) {
          const what = `${[row.title, row.instance].filter(Boolean).join(' ')}: ${verdict(row)}`;
          booth.missed += 1;
          booth.misses.push({ scenario: name, what, atMs: Date.now() });
          if (booth.misses.length > keptMisses) booth.misses.shift();
          state.note(`booth miss in ${name}: ${what}`);
        }
        show();
      }
      if (!signal.aborted) booth.rounds += 1;
    }
  } finally {
    booth.running = false;
    booth.current = null;
    show();
  }
  return booth;
}
