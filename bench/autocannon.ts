import { createRequire } from 'node:module';

/** The part of autocannon's result the benchmarks read (it ships no types of its own). */
export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  non2xx: number;
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
}) => Promise<AutocannonResult>;

// autocannon is CommonJS only.
export const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** The table a benchmark contributes to bench/RESULTS.md. */
export interface BenchSection {
  title: string;
  markdown: string;
}
