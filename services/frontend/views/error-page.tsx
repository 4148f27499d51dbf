import type { FC } from 'hono/jsx';
import type { Incident } from '../incidents.ts';
import { Layout } from './layout.tsx';

// Headlines a shopper understands; the api's own message follows underneath.
const headlines: Record<string, string> = {
  insufficient_stock: 'Sold out',
  payment_declined: 'Payment declined',
  payment_gateway_error: 'The payment provider failed',
  api_unavailable: 'The shop is temporarily unavailable',
  api_timeout: 'The shop is too slow right now',
  invalid_form: 'Please check the form',
  not_found: 'Not found',
  unknown_sku: 'Not found',
  injected_fault: 'Something went wrong',
  foreign_form: 'Form refused',
  database_outdated: 'The database needs an update',
};

function headlineFor(status: number, code: string): string {
  return headlines[code] ?? (status >= 500 ? 'Something went wrong' : 'That did not work');
}

export interface ErrorPageProps {
  status: number;
  code: string;
  message: string;
  requestId: string;
  firing: Incident[];
}

export const ErrorPage: FC<ErrorPageProps> = ({ status, code, message, requestId, firing }) => (
  <Layout title={headlineFor(status, code)} firing={firing}>
    <section class="error-box" data-status={status} data-code={code}>
      <h1>{headlineFor(status, code)}</h1>
      <p>{message}</p>
      <p class="muted">
        HTTP {status} · {code} · request {requestId}
      </p>
      <p>
        <a href="/">Back to the products</a>
      </p>
    </section>
  </Layout>
);
