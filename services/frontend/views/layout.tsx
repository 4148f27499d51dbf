import type { Child, FC } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Incident } from '../incidents.ts';
import { IncidentBanner } from './incidents.tsx';
import { bannerPollSeconds, shopPageScript, statusPageScript } from './live-scripts.ts';
import { styles } from './styles.ts';

export interface LayoutProps {
  title: string;
  firing: Incident[];
  /** The status page streams its updates; shop pages poll the banner. */
  live?: 'status' | 'shop';
  children?: Child;
}

export const Layout: FC<LayoutProps> = ({ title, firing, live = 'shop', children }) => (
  <>
    {raw('<!DOCTYPE html>')}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ShopFast`}</title>
        <style dangerouslySetInnerHTML={{ __html: styles }} />
      </head>
      <body>
        {/* The status page's stream updates the banner; shop pages poll it. */}
        <div
          id="incident-banner-slot"
          {...(live === 'shop'
            ? { 'data-refresh-url': '/status/banner', 'data-refresh-seconds': bannerPollSeconds }
            : {})}
        >
          <IncidentBanner firing={firing} />
        </div>
        <header class="top">
          <nav>
            <a class="brand" href="/">
              ShopFast
            </a>
            <a href="/">Products</a>
            <a href="/cart">Cart</a>
            <a href="/status">Status</a>
            <a href="/account">Account</a>
          </nav>
        </header>
        <main>{children}</main>
        <footer>ShopFast is a demo shop: orders are real rows in PostgreSQL, the money is not.</footer>
        <script dangerouslySetInnerHTML={{ __html: live === 'status' ? statusPageScript : shopPageScript }} />
      </body>
    </html>
  </>
);
