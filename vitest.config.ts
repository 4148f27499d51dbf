import { configDefaults, defineConfig } from 'vitest/config';
import { ProjectOrder } from './test/support/project-order.ts';

/** Files under test/ that need no stack: they check the Docker, Kubernetes and start-up files offline. */
const offline = [
  'test/compose.test.ts',
  'test/docker-secrets.test.ts',
  'test/kubernetes.test.ts',
  'test/kubernetes-workshop.test.ts',
  'test/start-demo.test.ts',
];
/** Files that start the stacks they need themselves, so they change nothing the others see. */
const ownStack = ['test/rehearse.test.ts', 'test/tracing.test.ts'];
/**
 * The alert lifecycle driven through the simulator and the stage console: they set faults, reset
 * and bring alerts to Firing and back, but measure no rate or latency, so they take turns on a
 * second stack of their own while the files that do measure take turns on the first.
 */
const alertLifecycle = [
  'test/rule-preview.test.ts',
  'test/scenarios-interrupt.test.ts',
  'test/simulator-check.test.ts',
  'test/simulator-grafana.test.ts',
  'test/simulator-reset.test.ts',
  'test/simulator-trigger.test.ts',
  'test/stage.test.ts',
  'test/talk-stories.test.ts',
];
/** Unit files that time what they test (a CPU burn's share of a core, a latency fault's delay): alone, last. */
const timed = ['services/kit/faults.test.ts', 'services/kit/middleware/faults.test.ts'];

/** A native stack (PostgreSQL, the four services, Prometheus, Alertmanager, a Loki stand-in) for these files, one file at a time. */
const sharedStack = {
  globalSetup: ['test/global-setup.ts'],
  setupFiles: ['test/support/yield-cpu.ts', 'test/support/take-stack-turn.ts'],
};

// Projects, all but `timed` side by side in one pool of workers:
// - unit: the tests beside the code, and the offline checks under test/; files run in parallel.
// - stack and alerts-stack: the integration tests under test/, on two native stacks, each started
//   once by the global setup and shared by its files. They set faults, reset, drive alert states,
//   stop the database or measure rates and latencies, so on each stack they take turns, one file at a
//   time (test/support/stack-turn.ts); every file that measures is on `stack`.
// - own-stack: the rehearsal (the longest file: three stacks of its own) and tracing, beside
//   everything else. The rehearsal burns CPU to fire alerts: its CPU part plays last, after its other
//   parts, and the other files' workers run at a lower priority (test/support/yield-cpu.ts says how far
//   that goes).
// - timed: the two unit files that time what they test, alone after everything else.
// - e2e: the Docker stack, brought up by the suite itself (`npm run test:e2e`); skips without Docker.
// Workers: the own-stack files, a file with its turn and one waiting for it on each shared stack,
// and the unit files in the rest (test/support/project-order.ts). A file waiting for its turn
// holds a worker but no CPU, so there are more workers than cores.
export default defineConfig({
  test: {
    maxWorkers: 9,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    sequence: { sequencer: ProjectOrder },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          setupFiles: ['test/support/yield-cpu.ts'],
          include: [
            '{domain,services,simulator,grafana,scripts,bench,harness}/**/*.test.{ts,tsx}',
            ...offline,
          ],
          exclude: [...configDefaults.exclude, ...timed],
        },
      },
      {
        extends: true,
        test: {
          name: 'stack',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: [...configDefaults.exclude, 'test/e2e/**', ...offline, ...ownStack, ...alertLifecycle],
          ...sharedStack,
        },
      },
      {
        extends: true,
        test: { name: 'alerts-stack', include: alertLifecycle, ...sharedStack },
      },
      {
        extends: true,
        test: { name: 'own-stack', include: ownStack },
      },
      {
        // One file at a time: vitest runs such a project after the others, on a quiet machine.
        extends: true,
        test: { name: 'timed', include: timed, fileParallelism: false },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] },
      },
    ],
  },
});
