import { Marked, type Tokens } from 'marked';

/**
 * Markdown to HTML for the docs pages, with the HTML kept in check: raw HTML in the markdown is
 * shown as text, except the runbook anchors (`<a id="high-cpu"></a>`) the alert rules link to;
 * comments are dropped; links and images keep only http(s), mailto and relative addresses. Given
 * the documents served next to the page, a relative link to any other file (CONTRIBUTING.md,
 * bench/RESULTS.md, ...) becomes its text marked "in the repository" instead of a link to a 404, and
 * an image kept in the repository its caption.
 * Every heading carries the id GitHub gives it, so `#a-section` links land on their section here too.
 */

const anchor = /^<a id="[\w-]+">(\s*<\/a>)?$|^<\/a>$/;
const comment = /^<!--[^]*-->$/;
const safeProtocols = new Set(['http:', 'https:', 'mailto:']);
/** Where a docs page lives: /docs/<name>. The host is a placeholder no link can name. */
const docsPage = new URL('http://docs.invalid/docs/');

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function safeUrl(href: string): boolean {
  // Relative addresses resolve against an http base and pass; `javascript:`, `data:` and co. do not.
  const url = URL.parse(href, docsPage.href);
  return url !== null && safeProtocols.has(url.protocol);
}

/** A relative link to a file other than the served documents; fragments and /paths stay links. */
function linksElsewhere(href: string, servedDocs: readonly string[]): boolean {
  if (href.startsWith('#') || href.startsWith('/')) return false;
  const url = URL.parse(href, docsPage.href);
  if (url === null || url.origin !== docsPage.origin) return false;
  return !servedDocs.some((name) => url.pathname === `${docsPage.pathname}${name}`);
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
const unescapeHtml = (text: string) =>
  text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&(amp|lt|gt|quot);/g, (_, name: string) => entities[name]!);

/**
 * GitHub's heading ids (github-slugger): lower case, every character but letters, marks, digits,
 * underscores, hyphens and spaces dropped, spaces as hyphens; a repeat gets -1, -2, ... One per
 * document.
 */
export class HeadingIds {
  private readonly seen = new Map<string, number>();

  next(text: string): string {
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
      .replace(/ /g, '-');
    let id = base;
    while (this.seen.has(id)) {
      const count = (this.seen.get(base) ?? 0) + 1;
      this.seen.set(base, count);
      id = `${base}-${count}`;
    }
    this.seen.set(id, 0);
    return id;
  }
}

/** A markdown renderer; with `servedDocs`, relative links to other files are marked as above. */
export function markdownRenderer(servedDocs?: readonly string[]): (text: string) => string {
  let ids = new HeadingIds();
  const markdown = new Marked({
    renderer: {
      heading(token: Tokens.Heading) {
        const html = this.parser.parseInline(token.tokens);
        const text = unescapeHtml(this.parser.parseInline(token.tokens, this.parser.textRenderer));
        return `<h${token.depth} id="${escapeHtml(ids.next(text))}">${html}</h${token.depth}>\n`;
      },
      html({ text }: Tokens.HTML | Tokens.Tag) {
        const trimmed = text.trim();
        if (comment.test(trimmed)) return '';
        return anchor.test(trimmed) ? text : escapeHtml(text);
      },
      link(token: Tokens.Link) {
        const text = this.parser.parseInline(token.tokens);
        if (!safeUrl(token.href)) return text;
        if (servedDocs && linksElsewhere(token.href, servedDocs)) {
          return `${text} <small class="doc-elsewhere">(in the repository)</small>`;
        }
        return false;
      },
      image(token: Tokens.Image) {
        if (!safeUrl(token.href)) return escapeHtml(token.text);
        // A picture kept in the repository (docs/stage.png) is not served here: its caption, marked so.
        if (servedDocs && linksElsewhere(token.href, servedDocs))
          return `${escapeHtml(token.text)} <small class="doc-elsewhere">(in the repository)</small>`;
        return false;
      },
    },
  });
  return (text) => {
    ids = new HeadingIds();
    return markdown.parse(text, { async: false });
  };
}
