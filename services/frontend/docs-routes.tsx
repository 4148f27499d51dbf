import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { raw } from 'hono/html';
import { HttpError, type KitEnv } from '../kit/index.ts';
import type { IncidentStore } from './incidents.ts';
import { markdownRenderer } from './markdown.ts';
import { Layout } from './views/layout.tsx';

/** The project's own docs, so the alert rules' runbook links (…/docs/TROUBLESHOOTING.md#uid) open here. */
export const publishedDocs = ['README.md', 'TROUBLESHOOTING.md', 'TALK_NOTES.md'] as const;

// Their links to other files of the repository are marked, not left to answer 404 (the image has only these).
const renderDoc = markdownRenderer(publishedDocs);

/** Serves the docs from `docsDir` (the repository root, or /app in the image) rendered as HTML. */
export function addDocsRoutes(app: Hono<KitEnv>, deps: { docsDir: string; incidents: IncidentStore }): void {
  app.get('/docs/:name', async (c) => {
    const name = c.req.param('name');
    if (!(publishedDocs as readonly string[]).includes(name)) {
      throw new HttpError(404, 'not_found', `No document named ${name}; try ${publishedDocs.join(', ')}`);
    }
    const markdown = await readFile(join(deps.docsDir, name), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new HttpError(404, 'not_found', `${name} is not in ${deps.docsDir}`);
      throw err;
    });
    const html = renderDoc(markdown);
    return c.html(
      <Layout title={name.replace(/\.md$/, '')} firing={deps.incidents.firing()}>
        <article class="doc">{raw(html)}</article>
      </Layout>,
    );
  });
}
