import { pickOne, pickWeighted, type Random } from '../engine/random.ts';
import type { TrafficAction } from '../engine/traffic-engine.ts';
import type { Journey, MixEntry } from './scenario.ts';
import type { OrderRequest } from '../../domain/contracts/orders.ts';
import { paymentMethods } from '../../domain/contracts/payments.ts';
import { demoShoppers } from '../../domain/shoppers.ts';

/** What journeys need to know about the shop: where it is and what it sells. */
export interface ShopFront {
  apiOrigin: string;
  frontendOrigin: string;
  skus: string[];
  /** Told of each order the shop took (201): background traffic puts back what it bought. */
  onPurchase?(sku: string, quantity: number): void;
}

const headers = { 'user-agent': 'shopfast-sim' };

/** Turns a traffic mix into the engine's action picker. */
export function mixPicker(mix: MixEntry[], shop: ShopFront): (random: Random) => TrafficAction {
  const actions = mix.map((entry) => ({ weight: entry.weight, action: journeyAction(entry.journey, shop) }));
  return (random) => pickWeighted(random, actions).action;
}

export function journeyAction(journey: Journey, shop: ShopFront): TrafficAction {
  switch (journey.kind) {
    case 'browse':
      return {
        name: 'browse',
        run: async ({ send, random }) => {
          const home = await send({ origin: shop.frontendOrigin, path: '/', headers });
          if (home.status !== 200) return;
          await send({ origin: shop.frontendOrigin, path: productPage(pickOne(random, shop.skus)), headers });
        },
      };
    case 'view-product':
      return {
        name: 'view-product',
        run: async ({ send, random }) => {
          const sku = pickOne(random, journey.skus ?? shop.skus);
          await send({ origin: shop.frontendOrigin, path: productPage(sku), headers });
        },
      };
    case 'checkout':
      return {
        name: 'checkout',
        run: async ({ send, random }) => {
          const sku = pickOne(random, journey.skus ?? shop.skus);
          const product = await send({
            origin: shop.apiOrigin,
            path: `/api/products/${encodeURIComponent(sku)}`,
            headers,
            readBody: journey.keepHeadroom !== undefined,
          });
          if (product.status !== 200) return;
          if (journey.keepHeadroom !== undefined) {
            const headroom = stockHeadroom(product.body);
            if (headroom === undefined || headroom <= journey.keepHeadroom) return;
          }
          const quantity = 1 + Math.floor(random() * (journey.maxQuantity ?? 2));
          const order = await send({
            origin: shop.apiOrigin,
            path: '/api/orders',
            method: 'POST',
            headers,
            json: {
              items: [{ sku, quantity }],
              paymentMethod: pickOne(random, paymentMethods),
              customerEmail: `shopper${Math.floor(random() * 10_000)}@example.com`,
            } satisfies OrderRequest,
          });
          if (order.status === 201) shop.onPurchase?.(sku, quantity);
        },
      };
    case 'login':
      return {
        name: 'login',
        run: async ({ send, random }) => {
          const user = pickOne(random, demoShoppers);
          await send({
            origin: shop.apiOrigin,
            path: '/api/login',
            method: 'POST',
            headers,
            json: { email: user.email, password: user.password },
          });
        },
      };
    case 'brute-force-login':
      return {
        name: 'brute-force-login',
        run: async ({ send, random }) => {
          await send({
            origin: shop.apiOrigin,
            path: '/api/login',
            method: 'POST',
            // The api records the first X-Forwarded-For entry as the client address.
            headers: { ...headers, 'x-forwarded-for': pickOne(random, journey.fromIps) },
            json: {
              email: pickOne(random, journey.accounts),
              password: `guess-${Math.floor(random() * 1_000_000)}`,
            },
          });
        },
      };
  }
}

function productPage(sku: string): string {
  return `/products/${encodeURIComponent(sku)}`;
}

/** Stock above the low-stock threshold, from GET /api/products/:sku; undefined if unreadable. */
export function stockHeadroom(body: string): number | undefined {
  try {
    const product = (JSON.parse(body) as { product?: { stock?: unknown; lowStockThreshold?: unknown } })
      .product;
    if (typeof product?.stock !== 'number' || typeof product.lowStockThreshold !== 'number') return undefined;
    return product.stock - product.lowStockThreshold;
  } catch {
    return undefined;
  }
}
