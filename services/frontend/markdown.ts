import { Marked, type Tokens } from 'marked';

/**
 * Markdown to HTML for the docs pages, with the HTML kept in check: raw HTML in the markdown is
 * shown as text, except the runbook anchors (`<a id="high-cpu"></a>`) the alert rules link to;
 * comments are dropped; links and images keep only http(s), mailto and relative addresses.
 */

const anchor = /^<a id="[\w-]+">(\s*<\/a>)?$|^<\/a>$/;
const comment = /^<!--[^]*-->$/;
const safeProtocols = new Set(['http:', 'https:', 'mailto:']);

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function safeUrl(href: string): boolean {
  // Relative addresses resolve against an http base and pass; `javascript:`, `data:` and co. do not.
  const url = URL.parse(href, 'http://docs.invalid/');
  return url !== null && safeProtocols.has(url.protocol);
}

const markdown = new Marked({
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag) {
      const trimmed = text.trim();
      if (comment.test(trimmed)) return '';
      return anchor.test(trimmed) ? text : escapeHtml(text);
    },
    link(token: Tokens.Link) {
      return safeUrl(token.href) ? false : this.parser.parseInline(token.tokens);
    },
    image(token: Tokens.Image) {
      return safeUrl(token.href) ? false : escapeHtml(token.text);
    },
  },
});

export function renderMarkdown(text: string): string {
  return markdown.parse(text, { async: false });
}
