import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownRenderer } from './markdown.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const renderMarkdown = markdownRenderer();

describe('renderMarkdown', () => {
  it('shows raw HTML as text', () => {
    const html = renderMarkdown(
      'Hello <script>alert(1)</script> and <img src=x onerror="alert(2)">\n\n<iframe src="https://example.com"></iframe>\n',
    );
    expect(html).not.toMatch(/<(script|img|iframe)\b/);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('&#60;iframe');
  });

  it('keeps the runbook anchors and drops comments', () => {
    const html = renderMarkdown('<a id="high-cpu"></a>\n## High CPU\n\n<!-- generated: do not edit -->\n');
    expect(html).toContain('<a id="high-cpu"></a>');
    expect(html).toContain('<h2 id="high-cpu">High CPU</h2>');
    expect(html).not.toContain('generated');
    expect(renderMarkdown('<a id="x" onclick="alert(1)"></a>')).not.toContain('<a id');
  });

  it("gives every heading GitHub's id, numbering repeats, per document", () => {
    const html = renderMarkdown(
      '# Talk notes: ShopFast on stage\n\n### `./start-demo.sh` stops with a message\n\n' +
        '## With Docker alone (Windows included)\n\n## Notes\n\n## Notes\n',
    );
    expect([...html.matchAll(/<h\d id="([^"]*)"/g)].map((match) => match[1])).toEqual([
      'talk-notes-shopfast-on-stage',
      'start-demosh-stops-with-a-message',
      'with-docker-alone-windows-included',
      'notes',
      'notes-1',
    ]);
    expect(html).toContain('<code>./start-demo.sh</code> stops with a message</h3>');
    // A second document starts counting afresh.
    expect(renderMarkdown('## Notes\n')).toContain('<h2 id="notes">');
  });

  it('keeps http(s), mailto and relative links, and turns other schemes into plain text', () => {
    const html = renderMarkdown(
      '[web](https://grafana.com) [mail](mailto:a@b.c) [doc](TALK_NOTES.md#recovery) [top](#alerts) ' +
        '[bad](javascript:alert(1)) [data](data:text/html,hi) ![pic](javascript:alert(3))',
    );
    expect(html).toContain('<a href="https://grafana.com">web</a>');
    expect(html).toContain('<a href="mailto:a@b.c">mail</a>');
    expect(html).toContain('<a href="TALK_NOTES.md#recovery">doc</a>');
    expect(html).toContain('<a href="#alerts">top</a>');
    expect(html).not.toMatch(/javascript:|data:/);
    expect(html).toContain('bad');
  });

  it('renders the published docs with no raw tags besides the anchors', () => {
    const served = ['README.md', 'TROUBLESHOOTING.md', 'TALK_NOTES.md'];
    for (const doc of served) {
      const html = markdownRenderer(served)(readFileSync(join(repoRoot, doc), 'utf8'));
      expect(html, doc).not.toMatch(/<(script|style|iframe|img)\b/);
      expect(html, doc).not.toContain('<!--');
    }
  });

  it('shows an image kept in the repository as its caption, marked so', () => {
    const html = markdownRenderer(['README.md'])('![The stage console](docs/stage.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('The stage console <small class="doc-elsewhere">(in the repository)</small>');
  });

  it('marks relative links to files that are not served, and keeps those that are', () => {
    const html = markdownRenderer(['README.md', 'TALK_NOTES.md'])(
      '[talk](TALK_NOTES.md#recovery) [top](#alerts) [status](/status) [web](https://grafana.com) ' +
        '[guide](WORKSHOP.md) [results](bench/RESULTS.md) [`up`](../package.json)',
    );
    const links = [...html.matchAll(/<a href="([^"]+)">/g)].map((m) => m[1]);
    expect(links).toEqual(['TALK_NOTES.md#recovery', '#alerts', '/status', 'https://grafana.com']);
    const marked = [...html.matchAll(/(\S+) <small class="doc-elsewhere">\(in the repository\)<\/small>/g)];
    expect(marked.map((m) => m[1])).toEqual(['guide', 'results', '<code>up</code>']);
  });
});
