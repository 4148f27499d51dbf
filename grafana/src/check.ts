// npm run grafana:check — lints the provisioning files as committed; exits 1 with one line per problem.
import { fileURLToPath } from 'node:url';
import { lintProvisioning } from './lint.ts';

const problems = await lintProvisioning({
  provisioningDir: fileURLToPath(new URL('../provisioning/', import.meta.url)),
  troubleshootingPath: fileURLToPath(new URL('../../TROUBLESHOOTING.md', import.meta.url)),
});
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log('grafana provisioning: no problems found');
