import type { RuleStatus } from './grafana-client.ts';

/**
 * Where the simulator reads alert states from: Grafana's rules API when Grafana is reachable, else
 * the preview that evaluates the generated rule file as Grafana would (simulator/preview/). Every
 * command that shows or waits for alert states goes through this, so both behave alike.
 */
export interface AlertStateSource {
  /** 'grafana': Grafana's own states; 'preview': computed here from the rule file, never Grafana's. */
  readonly kind: 'grafana' | 'preview';
  /** Rule states by uid, as of the latest evaluation. */
  ruleStatuses(): Promise<Map<string, RuleStatus>>;
}
