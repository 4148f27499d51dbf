// The messages a shell script can stop with, read from its source: start-demo.sh stops only through
// `die [--usage] <anchor> "<message>"`, and names why Docker cannot be used through
// `problem <anchor> "<cause>" "<fix>"` (main's stops then print that cause). Each message's cause,
// the text before its first ": " outside parentheses, is what TROUBLESHOOTING.md must quote under
// <a id="<anchor>">, with `…` where the script puts a value.

export interface ScriptStop {
  /** `die` or `problem`. */
  call: string;
  /** The TROUBLESHOOTING.md anchor, or the variable the call takes it from (`$PROBLEM_ANCHOR`). */
  anchor: string;
  /** The message as written, `$…` and all. */
  source: string;
  /** The cause with every value the script fills in as `…` (constants of the script filled in). */
  cause: string;
  /** 1-based line of the call. */
  line: number;
}

/** `NAME=value` lines at the top level with a fixed value: the script's constants. */
function constantsOf(script: string): Map<string, string> {
  const found = [...script.matchAll(/^([A-Z_][A-Z0-9_]*)=([^\s$"'`(]*)$/gm)];
  return new Map(found.map((m) => [m[1]!, m[2]!]));
}

/** Index just past the bracket closing the one at `start` (`(` or `{`), skipping quoted text. */
function closingIndex(text: string, start: number): number {
  const open = text[start]!;
  const close = open === '(' ? ')' : '}';
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === "'" && open === '(') i = text.indexOf("'", i + 1);
    else if (c === open) depth++;
    else if (c === close && --depth === 0) return i + 1;
  }
  throw new Error(`unclosed ${open} in ${text.slice(start, start + 40)}`);
}

/** Reads the double-quoted word at `start`: its source text and the text with values as `…`. */
function quotedWord(text: string, start: number, constants: Map<string, string>) {
  if (text[start] !== '"')
    throw new Error(`expected a double-quoted message at ${text.slice(start, start + 40)}`);
  let literal = '';
  let i = start + 1;
  while (text[i] !== '"') {
    if (i >= text.length) throw new Error(`unclosed message ${text.slice(start, start + 40)}`);
    const c = text[i]!;
    if (c === '\\') {
      literal += text[i + 1];
      i += 2;
    } else if (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
      const end = closingIndex(text, i + 1);
      const braced = /^\$\{([A-Z_][A-Z0-9_]*)\}$/.exec(text.slice(i, end));
      literal += (braced && constants.get(braced[1]!)) ?? '…';
      i = end;
    } else if (c === '$' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))![0];
      literal += constants.get(name) ?? '…';
      i += 1 + name.length;
    } else {
      literal += c;
      i++;
    }
  }
  return { source: text.slice(start + 1, i), literal, end: i + 1 };
}

/** The text before the first ": " outside parentheses (all of it when there is none). */
function causeOf(message: string): string {
  let depth = 0;
  for (let i = 0; i < message.length; i++) {
    if (message[i] === '(') depth++;
    else if (message[i] === ')') depth--;
    else if (depth === 0 && message.startsWith(': ', i)) return message.slice(0, i);
  }
  return message;
}

/** Every `die` and `problem` call of the script, in order. */
export function scriptStops(script: string): ScriptStop[] {
  const constants = constantsOf(script);
  const calls = [
    ...script.matchAll(/(?<=^|[\s|&;(])(die|problem)[ \t]+(?:--usage[ \t]+)?("\$\w+"|[a-z0-9-]+)[ \t]+/gm),
  ];
  return calls.map((match) => {
    const start = match.index + match[0].length;
    const message = quotedWord(script, start, constants);
    return {
      call: match[1]!,
      anchor: match[2]!.replaceAll('"', ''),
      source: message.source,
      cause: causeOf(message.literal),
      line: script.slice(0, match.index).split('\n').length,
    };
  });
}

/** Whitespace and Markdown code marks out of the way; `<placeholder>` read as `…`. */
function normalized(text: string): string {
  return text
    .replaceAll('`', '')
    .replace(/<[a-z][a-z -]*>/g, '…')
    .replace(/\s+/g, ' ');
}

/** The text from `<a id="anchor">` up to the next anchor, or undefined when the anchor is missing. */
export function anchoredSection(markdown: string, anchor: string): string | undefined {
  const start = markdown.indexOf(`<a id="${anchor}"></a>`);
  if (start < 0) return undefined;
  const next = markdown.indexOf('<a id="', start + 1);
  return markdown.slice(start, next < 0 ? undefined : next);
}

/** Whether the section quotes the cause: its `…` stand for any short text (a value, or `…` itself). */
export function quotesCause(section: string, cause: string): boolean {
  const pattern = normalized(cause)
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.{0,60}?');
  return new RegExp(pattern).test(normalized(section));
}
