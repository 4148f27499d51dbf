import type { FC } from 'hono/jsx';
import type { DemoShopper } from '../../../domain/shoppers.ts';
import type { Shopper } from '../api-client.ts';
import type { Incident } from '../incidents.ts';
import type { ShopperOrder, SignInActivity } from '../shopper-records.ts';
import { money, utcTime } from './format.ts';
import { Layout } from './layout.tsx';

/** Why the sign-in form is shown again. */
export type SignInNotice =
  { kind: 'rejected' } | { kind: 'throttled' } | { kind: 'invalid'; problems: string };

// One message for a wrong password and an unknown account: the page must not tell which accounts exist.
export const rejectedMessage = 'The email or password is incorrect.';
export const throttledMessage =
  'Too many sign-ins are being checked right now. Please try again later (in a few seconds).';

const noticeText = (notice: SignInNotice): string => {
  switch (notice.kind) {
    case 'rejected':
      return rejectedMessage;
    case 'throttled':
      return throttledMessage;
    case 'invalid':
      return `Please check the form: ${notice.problems}.`;
  }
};

export interface LoginPageProps {
  shoppers: readonly DemoShopper[];
  firing: Incident[];
  notice?: SignInNotice;
  /** What the shopper typed, shown again after a failed attempt. */
  email?: string;
  signedIn?: Shopper;
}

export const LoginPage: FC<LoginPageProps> = ({ shoppers, firing, notice, email, signedIn }) => (
  <Layout title="Sign in" firing={firing}>
    <h1>Sign in</h1>
    {notice && (
      <p class={`notice notice-${notice.kind}`} role="alert" data-notice={notice.kind}>
        {noticeText(notice)}
      </p>
    )}
    {signedIn && (
      <p class="muted">
        You are signed in as {signedIn.name}: <a href="/account">your account</a>.
      </p>
    )}
    <form class="stacked" method="post" action="/login">
      <label>
        Email
        <input
          type="text"
          name="email"
          inputmode="email"
          autocomplete="username"
          maxlength={254}
          value={email ?? ''}
          required
        />
      </label>
      <label>
        Password
        <input type="password" name="password" autocomplete="current-password" maxlength={1024} required />
      </label>
      <button type="submit">Sign in</button>
    </form>
    <section class="card demo-shoppers">
      <h2>Demo shoppers</h2>
      <table>
        <thead>
          <tr>
            <th>name</th>
            <th>email</th>
            <th>password</th>
          </tr>
        </thead>
        <tbody>
          {shoppers.map((shopper) => (
            <tr data-email={shopper.email}>
              <td>{shopper.name}</td>
              <td>{shopper.email}</td>
              <td>
                <code>{shopper.password}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
    <p>
      <a href="/login/attempts">Watch the failed sign-ins of the last 5 minutes</a>
    </p>
  </Layout>
);

const OrderRows: FC<{ orders: ShopperOrder[] }> = ({ orders }) => (
  <table class="orders">
    <thead>
      <tr>
        <th>placed</th>
        <th>order</th>
        <th>items</th>
        <th>total</th>
        <th>status</th>
      </tr>
    </thead>
    <tbody>
      {orders.map((order) => (
        <tr data-order-id={order.id} data-order-status={order.status}>
          <td>{utcTime(order.createdAt)}</td>
          <td>
            <code>{order.id}</code>
          </td>
          <td>{order.items.map((item) => `${item.quantity} × ${item.name}`).join(', ') || '—'}</td>
          <td class="price">{money(order.totalCents, order.currency)}</td>
          <td>{order.status}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

export interface AccountPageProps {
  shopper: Shopper;
  orders: ShopperOrder[];
  /** The most orders the page lists. */
  maxOrders: number;
  firing: Incident[];
}

export const AccountPage: FC<AccountPageProps> = ({ shopper, orders, maxOrders, firing }) => (
  <Layout title="Your account" firing={firing}>
    <h1 class="shopper-name">Hello, {shopper.name}</h1>
    <p class="muted">
      Signed in as <span class="shopper-email">{shopper.email}</span>.
    </p>
    <form method="post" action="/logout">
      <button type="submit">Sign out</button>
    </form>
    <section class="card account-orders">
      <h2>Your orders</h2>
      {orders.length === 0 ? (
        <p class="muted no-orders">
          No orders yet. Orders placed with {shopper.email} at checkout appear here.
        </p>
      ) : (
        <>
          <OrderRows orders={orders} />
          {orders.length === maxOrders && <p class="muted">The {maxOrders} most recent orders.</p>}
        </>
      )}
    </section>
  </Layout>
);

export interface FailedLoginsRule {
  title: string;
  /** The rule fires when the count is above this. */
  above: number;
}

/** The part of the sign-in activity page that refreshes itself. */
export const SignInActivityTable: FC<{ activity: SignInActivity; rule: FailedLoginsRule }> = ({
  activity,
  rule,
}) => (
  <>
    <p class={activity.failedLast5m > rule.above ? 'activity-total over' : 'activity-total'}>
      <strong data-failed-last-5m={activity.failedLast5m}>{activity.failedLast5m}</strong> failed sign-ins in
      the last 5 minutes; <em>{rule.title}</em> fires above {rule.above}.
    </p>
    {activity.accounts.length === 0 ? (
      <p class="muted">No failed sign-ins in the last 5 minutes.</p>
    ) : (
      <table class="attempts">
        <thead>
          <tr>
            <th>account</th>
            <th>failed</th>
            <th>from addresses</th>
            <th>last attempt</th>
          </tr>
        </thead>
        <tbody>
          {activity.accounts.map((row) => (
            <tr data-account={row.account} data-failed={row.failed}>
              <td class="account">{row.account}</td>
              <td>{row.failed}</td>
              <td>
                {row.addresses.join(', ')}
                {row.addressCount > row.addresses.length &&
                  ` and ${row.addressCount - row.addresses.length} more`}
              </td>
              <td>{utcTime(row.lastAttemptAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </>
);

export const activityRefreshSeconds = 2;

export const SignInActivityPage: FC<{
  activity: SignInActivity;
  rule: FailedLoginsRule;
  firing: Incident[];
}> = ({ activity, rule, firing }) => (
  <Layout title="Sign-in activity" firing={firing}>
    <h1>Sign-in activity</h1>
    <p class="muted">
      Failed sign-ins of the last 5 minutes per account, counted as the <em>{rule.title}</em> alert counts
      them (a reset clears them; the attempts stay recorded). Updates every {activityRefreshSeconds} s.
    </p>
    <section
      id="sign-in-activity"
      class="card"
      data-refresh-url="/login/attempts/live"
      data-refresh-seconds={activityRefreshSeconds}
    >
      <SignInActivityTable activity={activity} rule={rule} />
    </section>
    <p>
      <a href="/login">Sign in</a>
    </p>
  </Layout>
);
