// What the docs ask a reader to type: their fenced code blocks (with the annotation comment before
// each) and every command line they show, fenced or inline. The executed-docs tests run the queries
// and parse the commands, so a doc cannot drift from the code it describes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked, type Token, type Tokens } from 'marked';
import { repoRoot } from './native/paths.ts';

/** The documents readers follow: presenters, attendees, trainers and contributors. */
export const executedDocs = [
  'README.md',
  'TALK_NOTES.md',
  'TROUBLESHOOTING.md',
  'WORKSHOP.md',
  'CONTRIBUTING.md',
] as const;
export type DocName = (typeof executedDocs)[number];

/** Query languages the test runs; `traceql` needs a Tempo, which the native stack lacks. */
export const queryLanguages = ['promql', 'logql', 'sql', 'traceql'] as const;
export type QueryLanguage = (typeof queryLanguages)[number];
/** Shells whose command lines are checked: POSIX shells, and PowerShell for Windows. */
export const shellLanguages = ['sh', 'powershell'] as const;
/** Every fence carries one of these: the query languages, shell commands, or plain text (diagrams). */
export const fenceLanguages = [...queryLanguages, ...shellLanguages, 'text'] as const;

export interface CodeBlock {
  doc: DocName;
  lang: string;
  text: string;
  /** `<!-- key: value; key: value -->` right before the fence, e.g. run-as and returns. */
  annotation: Record<string, string>;
  /** The prose right before the fence (and its annotation): where the doc tells the reader what to do. */
  leadIn: string;
}

export interface DocContents {
  blocks: CodeBlock[];
  /** The text of every inline code span. */
  spans: string[];
}

/** `<!-- run-as: grafana; returns: sku, stock -->` → { 'run-as': 'grafana', returns: 'sku, stock' }. */
export function parseAnnotation(html: string): Record<string, string> | undefined {
  const body = /^<!--\s*([\s\S]*?)\s*-->\s*$/.exec(html.trim())?.[1];
  if (body === undefined) return undefined;
  // `name:start` (a generated block's marker) has no space after its colon: not an annotation.
  const entries = body.split(';').map((part) => /^([a-z][a-z-]*):(?:\s+(.*))?$/.exec(part.trim()));
  if (entries.some((entry) => entry === null)) return undefined;
  return Object.fromEntries(entries.map((entry) => [entry![1]!, (entry![2] ?? '').trim()]));
}

/** The comma-separated names of an annotation value ('a, b' → ['a', 'b']). */
export function annotationList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

function textOf(token: Token): string {
  return 'text' in token && typeof token.text === 'string' ? token.text : '';
}

/** Children of a token in document order: inline tokens, list items, table cells, quoted blocks. */
function childrenOf(token: Token): Token[][] {
  if (token.type === 'list') return (token as Tokens.List).items.map((item) => item.tokens);
  if (token.type === 'table') {
    const table = token as Tokens.Table;
    return [...table.header, ...table.rows.flat()].map((cell) => cell.tokens);
  }
  return 'tokens' in token && Array.isArray(token.tokens) ? [token.tokens] : [];
}

/** The fenced blocks and inline code of one document's Markdown. */
export function parseDoc(doc: DocName, markdown: string): DocContents {
  const contents: DocContents = { blocks: [], spans: [] };
  const visit = (tokens: Token[]) => {
    tokens.forEach((token, index) => {
      if (token.type === 'codespan') contents.spans.push(textOf(token));
      if (token.type === 'code') {
        const before = tokens.slice(0, index).filter((t) => t.type !== 'space');
        const previous = before.at(-1);
        const annotation = previous?.type === 'html' ? parseAnnotation(textOf(previous)) : undefined;
        const prose = (annotation ? before.slice(0, -1) : before).at(-1);
        contents.blocks.push({
          doc,
          lang: (token as Tokens.Code).lang ?? '',
          text: textOf(token),
          annotation: annotation ?? {},
          leadIn: prose && prose.type !== 'code' ? textOf(prose) : '',
        });
      }
      for (const children of childrenOf(token)) visit(children);
    });
  };
  visit(marked.lexer(markdown));
  return contents;
}

export function readDoc(doc: DocName): DocContents {
  return parseDoc(doc, readFileSync(join(repoRoot, doc), 'utf8'));
}

export type CommandTool = 'shopfast-sim' | 'start-demo' | 'npm-run';

/** One command line a doc shows: the tool and its arguments, shell words unquoted. */
export interface DocCommand {
  doc: DocName;
  tool: CommandTool;
  args: string[];
  /** As written, for messages. */
  source: string;
}

// How each tool is spelt in the docs; `docker compose run --rm sim` runs shopfast-sim in the stack.
const toolPattern =
  /\bnpx shopfast-sim\b|(?<![\w./-])shopfast-sim\b|\bdocker compose run --rm sim\b|\.\/start-demo\.sh\b|\bnpm run\b/g;

/** Shell words up to the end of the simple command (`|`, `&&`, `;`, `)`, a comment); quotes removed. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
      else word += char;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      word ??= '';
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if ('|;&)'.includes(char) || (char === '#' && word === undefined)) {
      break;
    } else word = (word ?? '') + char;
  }
  if (word !== undefined) words.push(word);
  return words;
}

function toolOf(match: string): CommandTool {
  if (match === './start-demo.sh') return 'start-demo';
  if (match === 'npm run') return 'npm-run';
  return 'shopfast-sim';
}

/**
 * Every command line in one piece of code: anywhere in a shell block (comments and `$(…)` too);
 * in inline code only at its start, since a span that quotes a message may mention a command.
 */
export function commandsIn(doc: DocName, code: string, where: 'anywhere' | 'at-start'): DocCommand[] {
  const commands: DocCommand[] = [];
  const joined = code.replace(/\\\n\s*/g, ' ');
  for (const line of joined.split('\n')) {
    for (const match of line.matchAll(toolPattern)) {
      if (where === 'at-start' && line.slice(0, match.index).trim() !== '') continue;
      const tool = toolOf(match[0]);
      const rest = line.slice(match.index + match[0].length);
      const args = shellWords(rest);
      commands.push({ doc, tool, args, source: `${match[0]}${rest}`.trim() });
    }
  }
  return commands;
}

/** Every command line of the document: in shell blocks (comments included) and in inline code. */
export function docCommands(doc: DocName, contents: DocContents = readDoc(doc)): DocCommand[] {
  const shell = contents.blocks.filter((block) => (shellLanguages as readonly string[]).includes(block.lang));
  return [
    ...shell.flatMap((block) => commandsIn(doc, block.text, 'anywhere')),
    ...contents.spans.flatMap((span) => commandsIn(doc, span, 'at-start')),
  ];
}
