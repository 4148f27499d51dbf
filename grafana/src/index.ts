// What the rest of the repository may use of the Grafana code: the data source uids the rules query
// and the rule group as Grafana's provisioning file holds it (the simulator's preview evaluates it).
export { datasourceUids } from './datasources.ts';
export { toRulesDocument } from './file-shape.ts';
export { buildRuleGroup } from './rules.ts';
