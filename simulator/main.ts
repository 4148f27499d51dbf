// The shopfast-sim process: tracing when configured, then one command line, then the exit code.
import { startTracing } from '../services/kit/tracing/setup.ts';
import { runCommandLine } from './cli.ts';
import { loadSimulatorSettings } from './settings.ts';

// A closed pipe (`shopfast-sim list | head`) must not crash a run before it has undone its faults.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

// With OTEL_EXPORTER_OTLP_ENDPOINT set, every journey is a root span exported like the services' spans.
const tracing = startTracing('shopfast-sim', loadSimulatorSettings().tracing);
try {
  process.exitCode = await runCommandLine(process.argv);
} finally {
  await tracing.shutdown();
}
