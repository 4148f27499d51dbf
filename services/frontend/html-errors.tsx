import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { handleError, handleNotFound, type ErrorEnvelope, type KitEnv } from '../kit/index.ts';
import type { IncidentStore } from './incidents.ts';
import { ErrorPage } from './views/error-page.tsx';

// JSON stays JSON for machines (/api/*, the platform endpoints, the event stream); everything else is a page.
const machinePath = /^\/(api|admin|health|ready|metrics)(\/|$)|^\/status\/events$/;

/**
 * Keeps the kit's error handling (status, code, logging) and renders its envelope as an HTML page for
 * page requests, so a shopper hitting an injected fault sees a page with the same 5xx status.
 */
export function renderErrorsAsPages(app: Hono<KitEnv>, incidents: IncidentStore): void {
  const asPage = async (c: Context<KitEnv>, response: Response): Promise<Response> => {
    if (machinePath.test(c.req.path)) return response;
    const { error, requestId } = (await response.json()) as ErrorEnvelope;
    return c.html(
      <ErrorPage
        status={response.status}
        code={error.code}
        message={error.message}
        requestId={requestId}
        firing={incidents.firing()}
      />,
      response.status as ContentfulStatusCode,
    );
  };
  app.onError(async (err, c) => asPage(c, await handleError(err, c)));
  app.notFound(async (c) => asPage(c, await handleNotFound(c)));
}
