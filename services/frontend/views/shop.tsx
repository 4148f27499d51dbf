import type { FC } from 'hono/jsx';
import type { Order, Product } from '../api-client.ts';
import type { Incident } from '../incidents.ts';
import { money } from './format.ts';
import { Layout } from './layout.tsx';

const Stock: FC<{ product: Product }> = ({ product }) => {
  if (product.stock <= 0) return <span class="stock-out">Sold out</span>;
  if (product.stock <= product.lowStockThreshold)
    return <span class="stock-low">Only {product.stock} left</span>;
  return <span class="muted">{product.stock} in stock</span>;
};

export const HomePage: FC<{ products: Product[]; firing: Incident[] }> = ({ products, firing }) => (
  <Layout title="Products" firing={firing}>
    <h1>Products</h1>
    {products.length === 0 ? (
      <p class="muted">The catalog is empty.</p>
    ) : (
      <div class="grid">
        {products.map((product) => (
          <section class="card product" data-sku={product.sku}>
            <h2>
              <a href={`/products/${encodeURIComponent(product.sku)}`}>{product.name}</a>
            </h2>
            <p class="muted">{product.description}</p>
            <p>
              <span class="price">{money(product.priceCents)}</span> · <Stock product={product} />
            </p>
          </section>
        ))}
      </div>
    )}
  </Layout>
);

/** email: the signed-in shopper's, filled in for them. */
const CheckoutForm: FC<{ product: Product; quantity: number; email: string | undefined }> = ({
  product,
  quantity,
  email,
}) =>
  product.stock <= 0 ? (
    <p class="stock-out">Sold out: check back after the next restock.</p>
  ) : (
    <form class="checkout" method="post" action="/checkout">
      <input type="hidden" name="sku" value={product.sku} />
      <label>
        Quantity
        <input
          type="number"
          name="quantity"
          min="1"
          max={Math.min(product.stock, 100)}
          value={quantity}
          required
        />
      </label>
      <label>
        Email
        <input
          type="email"
          name="email"
          autocomplete="email"
          placeholder="you@example.com"
          value={email}
          required
        />
      </label>
      <button type="submit">Buy now · {money(product.priceCents)} each</button>
    </form>
  );

export const ProductPage: FC<{ product: Product; email: string | undefined; firing: Incident[] }> = ({
  product,
  email,
  firing,
}) => (
  <Layout title={product.name} firing={firing}>
    <article class="card" data-sku={product.sku}>
      <h1>{product.name}</h1>
      <p>{product.description}</p>
      <p>
        <span class="price">{money(product.priceCents)}</span> · <Stock product={product} />
      </p>
      <p class="muted">SKU {product.sku}</p>
      <CheckoutForm product={product} quantity={1} email={email} />
    </article>
  </Layout>
);

export const CartPage: FC<{
  product: Product | undefined;
  quantity: number;
  email: string | undefined;
  firing: Incident[];
}> = ({ product, quantity, email, firing }) => (
  <Layout title="Cart" firing={firing}>
    <h1>Cart</h1>
    {product ? (
      <section class="card" data-sku={product.sku}>
        <h2>{product.name}</h2>
        <p>
          {quantity} × {money(product.priceCents)} ={' '}
          <span class="price">{money(product.priceCents * quantity)}</span>
        </p>
        <CheckoutForm product={product} quantity={quantity} email={email} />
      </section>
    ) : (
      <p class="muted">
        Your cart is empty. <a href="/">Browse the products</a>.
      </p>
    )}
  </Layout>
);

export const ConfirmationPage: FC<{ order: Order; firing: Incident[] }> = ({ order, firing }) => (
  <Layout title="Order confirmed" firing={firing}>
    <section class="card" data-order-id={order.id} data-order-status={order.status}>
      <h1>Thank you! Your order is {order.status}.</h1>
      <p>
        Order <strong class="order-id">{order.id}</strong>
      </p>
      <ul>
        {order.items.map((item) => (
          <li>
            {item.quantity} × {item.sku}
          </li>
        ))}
      </ul>
      <p>
        Total <span class="price">{money(order.totalCents, order.currency)}</span>
      </p>
      <p>
        <a href="/">Continue shopping</a>
      </p>
    </section>
  </Layout>
);
