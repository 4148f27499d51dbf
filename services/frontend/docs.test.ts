import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alertCatalog } from '../../domain/alerts.ts';
import { createKit, type ServiceKit } from '../kit/index.ts';
import { createApiClient } from './api-client.ts';
import { publishedDocs } from './docs-routes.tsx';
import { createFrontendApp } from './app.ts';
import { IncidentStore } from './incidents.ts';
import { frontendSettingsFrom } from './settings.ts';
import { StatusStream } from './status-stream.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const kits: ServiceKit[] = [];

function frontend() {
  const kit = createKit(frontendSettingsFrom({ LOG_LEVEL: 'silent' }));
  kits.push(kit);
  const incidents = new IncidentStore();
  return createFrontendApp(kit, {
    api: createApiClient('http://127.0.0.1:9'),
    incidents,
    statusStream: new StatusStream(incidents),
    docsDir: repoRoot,
  });
}

afterEach(async () => {
  await Promise.all(kits.splice(0).map((kit) => kit.close()));
});

describe('GET /docs/:name', () => {
  it('renders TROUBLESHOOTING.md with an anchor for every alert the rules link to', async () => {
    const res = await frontend().request('/docs/TROUBLESHOOTING.md');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    for (const alert of alertCatalog) expect(html).toContain(`id="${alert.runbookAnchor}"`);
  });

  it('answers 404 for anything that is not a published document', async () => {
    const app = frontend();
    for (const path of ['/docs/package.json', '/docs/..%2Fpackage.json', '/docs/.env']) {
      const res = await app.request(path);
      expect(res.status).toBe(404);
    }
  });

  it('links only to documents it serves; links to other files of the repository are marked', async () => {
    const app = frontend();
    let marked = 0;
    for (const doc of publishedDocs) {
      const html = await (await app.request(`/docs/${doc}`)).text();
      const relative = [...html.matchAll(/<a href="([^"]+)"/g)]
        .map((m) => m[1]!)
        .filter((href) => !/^(https?:|mailto:|#|\/)/.test(href));
      for (const href of relative)
        expect(publishedDocs, `${doc} links to ${href}`).toContain(href.split('#')[0]);
      marked += html.split('(in the repository)').length - 1;
    }
    // README.md links to WORKSHOP.md, CONTRIBUTING.md and bench/RESULTS.md, none of them served.
    expect(marked).toBeGreaterThanOrEqual(3);
  });

  it('lands every link to a section (#…, or a served document#…) on an id of its page', async () => {
    const app = frontend();
    const pages = new Map<string, string>();
    for (const doc of publishedDocs) pages.set(doc, await (await app.request(`/docs/${doc}`)).text());
    let links = 0;
    for (const [doc, html] of pages) {
      for (const [, href] of html.matchAll(/<a href="([^"]*#[^"]+)"/g)) {
        const [page, fragment] = href!.split('#') as [string, string];
        const target = pages.get(page === '' ? doc : page);
        if (target === undefined) continue; // another site, or a file not served (marked above)
        expect(target, `${doc} links to ${href}`).toContain(`id="${fragment}"`);
        links += 1;
      }
    }
    expect(links).toBeGreaterThan(10);
  });
});
