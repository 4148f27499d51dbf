/**
 * Item lists that every endpoint taking `items: [{ sku, quantity }]` (inventory's reserve and release,
 * the api's orders) must refuse with 400 invalid_body, named for the test titles.
 */
export function badItemLists(): [string, unknown[]][] {
  const line = (quantity: unknown, sku: unknown = 'SF-1001') => [{ sku, quantity }];
  return [
    ['no items', []],
    ['21 items', Array.from({ length: 21 }, (_, i) => ({ sku: `SF-${i}`, quantity: 1 }))],
    [
      'the same sku twice',
      [
        { sku: 'SF-1001', quantity: 1 },
        { sku: 'SF-1001', quantity: 2 },
      ],
    ],
    ['quantity zero', line(0)],
    ['negative quantity', line(-3)],
    ['fractional quantity', line(1.5)],
    ['quantity over 100', line(101)],
    ['huge quantity', line(1e12)],
    ['quantity as a string', line('2')],
    ['missing quantity', [{ sku: 'SF-1001' }]],
    ['sku as a number', line(1, 1001)],
    ['sku as null', line(1, null)],
    ['sku with spaces', line(1, 'SF 1001')],
  ];
}
