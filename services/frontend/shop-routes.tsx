import type { Context, Hono } from 'hono';
import client from 'prom-client';
import { HttpError, params, type KitEnv, type ServiceKit } from '../kit/index.ts';
import type { ShopApi } from './api-client.ts';
import { skuParams } from '../../domain/contracts/stock.ts';
import { cartQuery, checkoutForm } from './checkout-form.ts';
import { describeProblems, readForm } from './forms.ts';
import type { IncidentStore } from './incidents.ts';
import type { Sessions } from './session.ts';
import { CartPage, ConfirmationPage, HomePage, ProductPage } from './views/shop.tsx';

export const pages = [
  'home',
  'product',
  'cart',
  'checkout',
  'status',
  'login',
  'account',
  'login_attempts',
] as const;
export type Page = (typeof pages)[number];

export function createPageViews(kit: ServiceKit): client.Counter<'page'> {
  const counter = new client.Counter({
    name: 'page_views_total',
    help: 'Pages rendered successfully, by page',
    labelNames: ['page'] as const,
    registers: [kit.metrics.registry],
  });
  for (const page of pages) counter.inc({ page }, 0); // every series exists from the first scrape
  return counter;
}

export interface ShopDeps {
  api: ShopApi;
  incidents: IncidentStore;
  pageViews: client.Counter<'page'>;
  /** When a shopper is signed in, checkout forms start with their email (their orders list finds them by it). */
  sessions: Sessions | undefined;
}

/** Home, product, cart and checkout: each reads or writes through the api and renders on the server. */
export function addShopRoutes(app: Hono<KitEnv>, { api, incidents, pageViews, sessions }: ShopDeps): void {
  const viewed = (page: Page) => pageViews.inc({ page });
  const shopperEmail = async (c: Context) => (await sessions?.current(c))?.email;

  app.get('/', async (c) => {
    const products = await api.listProducts(c.get('requestId'));
    viewed('home');
    return c.html(<HomePage products={products} firing={incidents.firing()} />);
  });

  app.get('/products/:sku', params(skuParams), async (c) => {
    const { sku } = c.req.valid('param');
    const product = await api.getProduct(sku, c.get('requestId'));
    if (!product) throw new HttpError(404, 'not_found', `There is no product with sku ${sku}`);
    viewed('product');
    return c.html(
      <ProductPage product={product} email={await shopperEmail(c)} firing={incidents.firing()} />,
    );
  });

  app.get('/cart', async (c) => {
    const query = cartQuery.safeParse(c.req.query());
    if (!query.success) throw new HttpError(400, 'invalid_form', describeProblems(query.error));
    const { sku, quantity } = query.data;
    const product = sku === undefined ? undefined : await api.getProduct(sku, c.get('requestId'));
    if (sku !== undefined && !product)
      throw new HttpError(404, 'not_found', `There is no product with sku ${sku}`);
    viewed('cart');
    return c.html(
      <CartPage
        product={product}
        quantity={quantity}
        email={await shopperEmail(c)}
        firing={incidents.firing()}
      />,
    );
  });

  app.post('/checkout', async (c) => {
    const form = checkoutForm.safeParse(await readForm(c));
    if (!form.success) throw new HttpError(400, 'invalid_form', describeProblems(form.error));
    const order = await api.placeOrder(form.data, c.get('requestId'));
    c.get('logger').info(
      { orderId: order.id, sku: form.data.sku, quantity: form.data.quantity },
      'checkout completed',
    );
    viewed('checkout');
    return c.html(<ConfirmationPage order={order} firing={incidents.firing()} />, 201);
  });
}
