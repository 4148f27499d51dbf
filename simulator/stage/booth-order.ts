import { seededRandom } from '../engine/random.ts';

/**
 * The order of one pass over the booth's scenarios: as chosen, or shuffled (Fisher-Yates) by the
 * seed and the pass number, so that a seed replays the same sequence of passes.
 */
export function boothOrder<T>(scenarios: readonly T[], round: number, seed: number | null): T[] {
  const order = [...scenarios];
  if (seed === null) return order;
  const random = seededRandom(seed + round);
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as T, order[i] as T];
  }
  return order;
}
