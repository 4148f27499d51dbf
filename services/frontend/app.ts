import type { Hono } from 'hono';
import { createServiceApp, type KitEnv, type ServiceKit } from '../kit/index.ts';
import { addAccountRoutes } from './account-routes.tsx';
import type { ShopApi } from './api-client.ts';
import { addDocsRoutes } from './docs-routes.tsx';
import { renderErrorsAsPages } from './html-errors.tsx';
import { frontendSecureHeaderOptions } from './security-headers.ts';
import type { IncidentArchive } from './incident-archive.ts';
import type { IncidentStore } from './incidents.ts';
import { addShopRoutes, createPageViews } from './shop-routes.tsx';
import type { Sessions } from './session.ts';
import type { FrontendSettings } from './settings.ts';
import type { ShopperRecords } from './shopper-records.ts';
import { addStatusRoutes, statusPaths } from './status-routes.tsx';
import type { StatusStream } from './status-stream.ts';

export interface FrontendDeps {
  api: ShopApi;
  incidents: IncidentStore;
  statusStream: StatusStream;
  /** Keeps the incidents across restarts; without it they live in memory only (unit tests). */
  archive?: IncidentArchive;
  /** Where README.md and TROUBLESHOOTING.md are (served under /docs); default: the working directory. */
  docsDir?: string;
  /** Sign-in, the shopper's account and the sign-in activity page; without it the shop has none (unit tests). */
  accounts?: { records: ShopperRecords; sessions: Sessions };
}

/**
 * The shop's HTML pages and the live status page; /ready checks that the api answers and that the
 * incidents kept from before a restart are back.
 */
export function createFrontendApp(kit: ServiceKit<FrontendSettings>, deps: FrontendDeps): Hono<KitEnv> {
  const archive = deps.archive;
  const app = createServiceApp(
    kit,
    {
      api: () => deps.api.health(),
      ...(archive ? { incidents: () => archive.checkRestored() } : {}),
    },
    {
      faultFreePaths: statusPaths,
      // A Grafana notification carries every alert of its group (~2.5 KB each).
      largeBodies: { paths: /^\/api\/alerts\/webhook$/, maxBytes: 1024 * 1024 },
      secureHeaders: frontendSecureHeaderOptions,
    },
  );
  renderErrorsAsPages(app, deps.incidents);
  const pageViews = createPageViews(kit);
  addShopRoutes(app, {
    api: deps.api,
    incidents: deps.incidents,
    pageViews,
    sessions: deps.accounts?.sessions,
  });
  if (deps.accounts) {
    addAccountRoutes(app, {
      api: deps.api,
      incidents: deps.incidents,
      ...deps.accounts,
      viewed: (page) => pageViews.inc({ page }),
    });
  }
  addStatusRoutes(app, kit, {
    incidents: deps.incidents,
    statusStream: deps.statusStream,
    archive,
    countStatusView: () => pageViews.inc({ page: 'status' }),
  });
  addDocsRoutes(app, { docsDir: deps.docsDir ?? process.cwd(), incidents: deps.incidents });
  return app;
}
