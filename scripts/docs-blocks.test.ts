import { describe, expect, it } from 'vitest';
import {
  commandsIn,
  executedDocs,
  fenceLanguages,
  parseDoc,
  queryLanguages,
  readDoc,
  shellWords,
} from './docs-blocks.ts';

// Every fence names its language, no query hides in inline code where test/docs-queries.test.ts
// would not run it, and each query block says what it returns and, for SQL, who runs it where.
const docs = executedDocs.map((doc) => ({ doc, contents: readDoc(doc) }));
const queryBlocks = docs
  .flatMap(({ contents }) => contents.blocks)
  .filter((block) => (queryLanguages as readonly string[]).includes(block.lang));

/** Inline code that is a query: SQL, a label matcher, a PromQL/LogQL function or a comparison. */
const looksLikeQuery = (code: string) =>
  /^\s*SELECT\b[\s\S]*\bFROM\b/i.test(code) ||
  /\{[^}]*\w\s*(=|!=|=~)\s*"/.test(code) ||
  /\b(rate|count_over_time|histogram_quantile)\s*\(/.test(code) ||
  /\w\}?\s*(==|!=)\s*\d/.test(code);

describe('the docs as written', () => {
  it.each(docs)('$doc: every fenced block names its language', ({ contents }) => {
    const untagged = contents.blocks.filter(
      (block) => !(fenceLanguages as readonly string[]).includes(block.lang),
    );
    expect(untagged.map((block) => `${block.lang || '(none)'}: ${block.text.slice(0, 60)}`)).toEqual([]);
  });

  it.each(docs)('$doc: every query sits in a fenced block (inline code holds none)', ({ contents }) => {
    expect(contents.spans.filter(looksLikeQuery)).toEqual([]);
  });

  // TraceQL is not run (no Tempo on the native stack), so it has nothing to assert.
  const runBlocks = queryBlocks.filter((block) => block.lang !== 'traceql');
  it.each(runBlocks.map((block) => [block.doc, block.text.split('\n')[0], block] as const))(
    '%s: %s says what it returns',
    (_doc, _first, block) => {
      expect(block.annotation, '<!-- returns: … --> before the block').toHaveProperty('returns');
    },
  );

  /** Where each identity runs SQL on stage, as the prose before the block must say. */
  const placeOf = { grafana: /Grafana|Explore/, owner: /psql/ } as const;
  it.each(
    queryBlocks
      .filter((block) => block.lang === 'sql')
      .map((block) => [block.doc, block.text, block] as const),
  )('%s: %s says who runs it, and where', (_doc, _text, block) => {
    const runAs = block.annotation['run-as'];
    expect(['grafana', 'owner'], '<!-- run-as: grafana | owner --> before the block').toContain(runAs);
    expect(block.leadIn).toMatch(placeOf[runAs as keyof typeof placeOf]);
  });
});

describe('the extractor', () => {
  it("reads a fence's language, its annotation and the prose before it, in lists too", () => {
    const { blocks, spans } = parseDoc(
      'README.md',
      [
        '- In `psql` as the owner:',
        '  <!-- run-as: owner; returns: a, b -->',
        '  ```sql',
        '  SELECT 1;',
        '  ```',
      ].join('\n'),
    );
    expect(blocks).toEqual([
      {
        doc: 'README.md',
        lang: 'sql',
        text: 'SELECT 1;',
        annotation: { 'run-as': 'owner', returns: 'a, b' },
        leadIn: 'In `psql` as the owner:',
      },
    ]);
    expect(spans).toEqual(['psql']);
  });

  it('finds commands anywhere in shell blocks, but only at the start of inline code', () => {
    const block =
      'for x in a; do\n  npm run --silent workshop:sim -- \\\n    --namespace "$x" run normal | kubectl create -f -\ndone';
    expect(commandsIn('WORKSHOP.md', block, 'anywhere').map((c) => c.args)).toEqual([
      ['--silent', 'workshop:sim', '--', '--namespace', '$x', 'run', 'normal'],
    ]);
    expect(commandsIn('README.md', 'missing: run ./start-demo.sh once', 'at-start')).toEqual([]);
    expect(commandsIn('README.md', 'docker compose run --rm sim check', 'at-start')[0]?.args).toEqual([
      'check',
    ]);
    expect(shellWords(`run 'a b' "c" # comment`)).toEqual(['run', 'a b', 'c']);
  });
});
