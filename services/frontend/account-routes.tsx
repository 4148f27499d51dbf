import type { Hono } from 'hono';
import { alertByUid } from '../../domain/alerts.ts';
import { demoShoppers } from '../../domain/shoppers.ts';
import type { KitEnv } from '../kit/index.ts';
import type { ShopApi } from './api-client.ts';
import { forwardedFor } from './forwarded-for.ts';
import { describeProblems, ownFormsOnly, readForm } from './forms.ts';
import type { IncidentStore } from './incidents.ts';
import { loginForm } from './login-form.ts';
import type { Sessions } from './session.ts';
import { maxOrdersShown, type ShopperRecords } from './shopper-records.ts';
import {
  AccountPage,
  LoginPage,
  SignInActivityPage,
  SignInActivityTable,
  type FailedLoginsRule,
  type LoginPageProps,
} from './views/account.tsx';

export interface AccountDeps {
  api: ShopApi;
  incidents: IncidentStore;
  records: ShopperRecords;
  sessions: Sessions;
  viewed: (page: 'login' | 'account' | 'login_attempts') => void;
}

function failedLoginsRule(): FailedLoginsRule {
  const alert = alertByUid('failed-logins');
  if (!alert || alert.threshold.op !== 'gt') throw new Error('the alert catalog has no failed-logins rule');
  return { title: alert.title, above: alert.threshold.value };
}

/**
 * Sign-in (through the api's POST /api/login), the signed-in shopper's account with their orders,
 * and the sign-in activity page where a brute-force attack can be watched as the alert counts it.
 */
export function addAccountRoutes(
  app: Hono<KitEnv>,
  { api, incidents, records, sessions, viewed }: AccountDeps,
) {
  const rule = failedLoginsRule();
  const loginPage = (props: Omit<LoginPageProps, 'shoppers' | 'firing'>) => (
    <LoginPage shoppers={demoShoppers} firing={incidents.firing()} {...props} />
  );

  app.get('/login', async (c) => {
    const signedIn = await sessions.current(c);
    viewed('login');
    return c.html(loginPage({ signedIn }));
  });

  app.post('/login', ownFormsOnly, async (c) => {
    const fields = await readForm(c);
    const form = loginForm.safeParse(fields);
    const typed = typeof fields.email === 'string' ? fields.email : undefined;
    if (!form.success) {
      return c.html(
        loginPage({ notice: { kind: 'invalid', problems: describeProblems(form.error) }, email: typed }),
        400,
      );
    }
    const outcome = await api.login(form.data, {
      requestId: c.get('requestId'),
      forwardedFor: forwardedFor(c),
    });
    switch (outcome.result) {
      case 'signed-in':
        await sessions.start(c, outcome.shopper);
        c.get('logger').info({ username: outcome.shopper.email }, 'shopper signed in');
        return c.redirect('/account', 303);
      case 'rejected':
        return c.html(loginPage({ notice: { kind: 'rejected' }, email: typed }), 401);
      case 'throttled':
        return c.html(loginPage({ notice: { kind: 'throttled' }, email: typed }), 429);
    }
  });

  app.post('/logout', ownFormsOnly, (c) => {
    sessions.end(c);
    return c.redirect('/login', 303);
  });

  app.get('/account', async (c) => {
    const shopper = await sessions.current(c);
    if (!shopper) return c.redirect('/login', 303);
    const orders = await records.ordersOf(shopper.email);
    viewed('account');
    return c.html(
      <AccountPage
        shopper={shopper}
        orders={orders}
        maxOrders={maxOrdersShown}
        firing={incidents.firing()}
      />,
    );
  });

  app.get('/login/attempts', async (c) => {
    const activity = await records.signInActivity();
    viewed('login_attempts');
    return c.html(<SignInActivityPage activity={activity} rule={rule} firing={incidents.firing()} />);
  });

  // The fragment the open page swaps in every few seconds.
  app.get('/login/attempts/live', async (c) =>
    c.html(<SignInActivityTable activity={await records.signInActivity()} rule={rule} />),
  );
}
