// npm run grafana:build — rewrites grafana/provisioning/** from the code.
// SLACK_WEBHOOK_URL in the environment adds the Slack contact point (see TROUBLESHOOTING.md).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderProvisioning } from './render.ts';

export const provisioningDir = fileURLToPath(new URL('../provisioning/', import.meta.url));

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
  const files = renderProvisioning({ slack: Boolean(process.env.SLACK_WEBHOOK_URL) });
  await writeProvisioning(provisioningDir, files);
  console.log(`wrote ${files.size} files to ${provisioningDir}`);
}
