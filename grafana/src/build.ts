// npm run grafana:build — rewrites grafana/provisioning/** and alertmanager/ from the code.
// SLACK_WEBHOOK_URL in the environment adds the Slack contact point (see TROUBLESHOOTING.md).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acceptNoArguments } from '../../scripts/script-args.ts';
import { defaultTarget } from './notifications-alertmanager.ts';
import { renderAlertmanager, renderProvisioning } from './render.ts';

export const provisioningDir = fileURLToPath(new URL('../provisioning/', import.meta.url));
export const alertmanagerDir = fileURLToPath(new URL('../../alertmanager/', import.meta.url));

export async function writeProvisioning(targetDir: string, files: Map<string, string>): Promise<void> {
  // The tree is generated as a whole: files the code no longer produces must go too.
  await rm(targetDir, { recursive: true, force: true });
  for (const [relativePath, content] of files) {
    const path = join(targetDir, relativePath);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  acceptNoArguments(
    'Usage: npm run grafana:build\n\nRewrites grafana/provisioning/ and alertmanager/ from grafana/src/. Takes no arguments;\nSLACK_WEBHOOK_URL in the environment adds the Slack contact point (TROUBLESHOOTING.md).',
  );
  const options = { slack: Boolean(process.env.SLACK_WEBHOOK_URL) };
  for (const [dir, files] of [
    [provisioningDir, renderProvisioning(options)],
    [alertmanagerDir, renderAlertmanager(options, defaultTarget)],
  ] as const) {
    await writeProvisioning(dir, files);
    console.log(`wrote ${files.size} files to ${dir}`);
  }
}
