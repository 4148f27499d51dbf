import { describe, expect, it } from 'vitest';
import { parseSections, withSections } from './results-file.ts';

const file = ['# Benchmark results', '', 'intro', '', '## A', '', 'a1', '', '## B', '', 'b1', ''].join('\n');

describe('bench/RESULTS.md sections', () => {
  it('parses the sections in order', () => {
    expect(parseSections(file)).toEqual([
      { title: 'A', markdown: 'a1' },
      { title: 'B', markdown: 'b1' },
    ]);
  });

  it('replaces a section in place and keeps the others as measured', () => {
    const updated = withSections(file, [{ title: 'A', markdown: 'a2' }]);
    expect(parseSections(updated)).toEqual([
      { title: 'A', markdown: 'a2' },
      { title: 'B', markdown: 'b1' },
    ]);
  });

  it('appends a new section', () => {
    expect(parseSections(withSections(file, [{ title: 'C', markdown: 'c1' }])).map((s) => s.title)).toEqual([
      'A',
      'B',
      'C',
    ]);
  });
});
