import { defineConfig } from 'vitest/config';

// Two projects: unit tests beside the code (no stack needed) and integration tests under test/,
// which share one native stack (PostgreSQL, the four services, Prometheus, a Loki stand-in)
// started once by the global setup. Files run one at a time: they share the stack, and several
// of them measure rates and latencies on a 2-core machine.
export default defineConfig({
  test: {
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{services,simulator,grafana,scripts,bench}/**/*.test.{ts,tsx}'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.{ts,tsx}'],
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
