// A rules provisioning file on disk, for tests and tools (yaml is a development dependency; the
// product builds the document in memory, see provisionedRuleGroups).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseRulesDocument, type PreviewRuleGroup } from './rule-document.ts';

/** A rules.yaml as Grafana would read it (grafana/provisioning/alerting/rules.yaml or one a test wrote). */
export function loadRulesFile(path: string, env: NodeJS.ProcessEnv = process.env): PreviewRuleGroup[] {
  return parseRulesDocument(parse(readFileSync(path, 'utf8')), env);
}
