import { describe, expect, it } from 'vitest';
import { crossedLowThreshold } from './low-stock.ts';

const change = (previousStock: number, stock: number, lowStockThreshold = 10) => ({
  previousStock,
  item: { sku: 'SF-1001', stock, lowStockThreshold, seedStock: 40 },
});

describe('crossedLowThreshold', () => {
  it.each([
    [11, 10, true],
    [40, 0, true],
    [11, 11, false],
    [10, 9, false],
    [5, 3, false],
    [9, 12, false],
  ])('from %i to %i (threshold 10): %s', (before, after, crossed) => {
    expect(crossedLowThreshold(change(before, after))).toBe(crossed);
  });
});
