/** A seeded pseudo-random source: the same --seed gives the same arrivals and the same journeys. */
export type Random = () => number;

/** Mulberry32: tiny, fast and good enough for traffic shaping (not for cryptography). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 0xffffffff);
}

/** An exponentially distributed value with mean 1: the gap between Poisson arrivals at rate 1. */
export function exponential(random: Random): number {
  return -Math.log(1 - random());
}

export function pickOne<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pickOne needs at least one item');
  return items[Math.floor(random() * items.length)] as T;
}

/** Picks an item with probability proportional to its weight. */
export function pickWeighted<T extends { weight: number }>(random: Random, items: readonly T[]): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let roll = random() * total;
  for (const item of items) {
    roll -= item.weight;
    if (roll < 0) return item;
  }
  return pickOne(random, items);
}
