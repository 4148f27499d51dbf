import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/native/paths.ts';
import { provisionedRuleGroups } from './rule-document.ts';
import { loadRulesFile } from './rule-file.ts';

describe('the rules file', () => {
  it('the committed rules.yaml reads as the document built in memory', () => {
    const rulesYaml = join(repoRoot, 'grafana', 'provisioning', 'alerting', 'rules.yaml');
    expect(loadRulesFile(rulesYaml, {})).toEqual(provisionedRuleGroups({}));
  });
});
