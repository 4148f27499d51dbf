// npm run grafana:check — lints the provisioning files as committed, against the environment the
// Docker stack's Grafana gets; exits 1 with one line per problem.
import { fileURLToPath } from 'node:url';
import { grafanaEnvironment } from './grafana-environment.ts';
import { lintProvisioning } from './lint.ts';

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

const problems = await lintProvisioning({
  provisioningDir: fromRoot('grafana/provisioning/'),
  troubleshootingPath: fromRoot('TROUBLESHOOTING.md'),
  grafanaEnv: grafanaEnvironment(fromRoot('docker-compose.yml'), fromRoot('.env')),
});
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log('grafana provisioning: no problems found');
