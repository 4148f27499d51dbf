import { describe, expect, it } from 'vitest';
import { boothOrder } from './booth-order.ts';

const list = ['normal', 'security-breach', 'high-cpu', 'flash-sale', 'low-inventory'];

describe('boothOrder', () => {
  it('plays the list as given without a seed', () => {
    expect(boothOrder(list, 0, null)).toEqual(list);
    expect(boothOrder(list, 7, null)).toEqual(list);
  });

  it('shuffles each pass by the seed: the same seed and pass give the same order', () => {
    const orders = [0, 1, 2, 3].map((round) => boothOrder(list, round, 42));
    for (const order of orders) expect([...order].sort()).toEqual([...list].sort());
    expect(boothOrder(list, 1, 42)).toEqual(orders[1]);
    expect(new Set(orders.map((order) => order.join()))).not.toEqual(new Set([list.join()]));
  });
});
