// bench/RESULTS.md as a set of `## title` sections: each benchmark (and the Docker end-to-end suite)
// replaces its own section and leaves the others as they were measured.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../scripts/native/paths.ts';
import type { BenchSection } from './autocannon.ts';

export const resultsPath = join(repoRoot, 'bench', 'RESULTS.md');

const heading = (title: string) => `## ${title}`;

function header(): string {
  return [
    '# Benchmark results',
    '',
    'Each section is rewritten by the run that measured it (`npm run bench`, `npm run bench -- <name>`,',
    '`npm run test:e2e`), on the date and machine it names; figures vary with the machine and its load.',
  ].join('\n');
}

/** A row's verdict against its target. */
export function verdict(met: boolean): string {
  return met ? 'met' : 'missed';
}

/** When and where a section was measured: its first line. */
export function measuredOn(): string {
  return `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}.`;
}

/** Splits the file into its sections, keeping their order. */
export function parseSections(text: string): BenchSection[] {
  const parts = text.split(/^## /m).slice(1);
  return parts.map((part) => {
    const newline = part.indexOf('\n');
    return { title: part.slice(0, newline).trim(), markdown: part.slice(newline + 1).trim() };
  });
}

/** The file with these sections replaced (or appended, in the order given). */
export function withSections(text: string, sections: BenchSection[]): string {
  const existing = parseSections(text);
  for (const section of sections) {
    const index = existing.findIndex((candidate) => candidate.title === section.title);
    if (index >= 0) existing[index] = section;
    else existing.push(section);
  }
  const body = existing.map((section) => `${heading(section.title)}\n\n${section.markdown}\n`);
  return [header(), '', ...body].join('\n');
}

export function writeSections(sections: BenchSection[], path = resultsPath): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  writeFileSync(path, withSections(text, sections));
}
