// What the rest of the repository may use of the Grafana code: the data source uids the rules query,
// the rule group as Grafana's provisioning file holds it (the simulator's preview evaluates it), and
// who the notification design tells of an alert instance, with the stage timings.
export { datasourceUids } from './datasources.ts';
export { toRulesDocument } from './file-shape.ts';
export { alertInstanceLabels, buildRuleGroup } from './rules.ts';
export {
  groupIntervalSeconds,
  groupWaitSeconds,
  receiversFor,
  repeatIntervalSeconds,
} from './notifications.ts';
