// npm run grafana:check — lints the provisioning files as committed, against the environment the
// Docker stack's Grafana gets, and has amtool check alertmanager/alertmanager.yml (when it is
// installed); exits 1 with one line per problem.
import { fileURLToPath } from 'node:url';
import { acceptNoArguments } from '../../scripts/script-args.ts';
import { runAmtool } from './amtool.ts';
import { grafanaEnvironment } from './grafana-environment.ts';
import { lintProvisioning } from './lint.ts';

acceptNoArguments(
  'Usage: npm run grafana:check\n\nLints grafana/provisioning/ as committed and runs amtool check-config on\nalertmanager/alertmanager.yml (when installed); exits 1 with one line per problem. Takes no arguments.',
);

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

const problems = await lintProvisioning({
  provisioningDir: fromRoot('grafana/provisioning/'),
  troubleshootingPath: fromRoot('TROUBLESHOOTING.md'),
  grafanaEnv: grafanaEnvironment(fromRoot('docker-compose.yml'), fromRoot('.env')),
});
const alertmanagerConfig = 'alertmanager/alertmanager.yml';
const amtool = await runAmtool(['check-config', fromRoot(alertmanagerConfig)]);
if (amtool && !amtool.ok)
  problems.push(`${alertmanagerConfig}: amtool check-config failed:\n${amtool.output.trim()}`);
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log('grafana provisioning: no problems found');
console.log(
  amtool
    ? `${alertmanagerConfig}: amtool check-config passed`
    : `${alertmanagerConfig}: not checked, amtool is not installed (apt-get install prometheus-alertmanager)`,
);
