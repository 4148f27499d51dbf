import { defineConfig } from 'vitest/config';

// Three projects: unit tests beside the code (no stack needed), integration tests under test/,
// which share one native stack (PostgreSQL, the four services, Prometheus, a Loki stand-in)
// started once by the global setup, and the Docker end-to-end suite (test/e2e/, `npm run test:e2e`),
// which brings up its own stack and skips where no Docker engine runs. Files run one at a time: they share the stack, and several
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
          include: ['{domain,services,simulator,grafana,scripts,bench}/**/*.test.{ts,tsx}'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/e2e/**'],
          globalSetup: ['test/global-setup.ts'],
        },
      },
      {
        // The Docker stack, brought up by the suite itself: no native stack. Skips without Docker.
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] },
      },
    ],
  },
});
