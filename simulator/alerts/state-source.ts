/** The state the CLI shows for a rule: Grafana's rule state in the words of its UI. */
export type AlertState = 'Normal' | 'Pending' | 'Firing' | 'Recovering';

export interface RuleStatus {
  uid: string;
  title: string;
  state: AlertState;
  /** ok, error or nodata (a rule that has never been evaluated reports ok). */
  health: string;
  firingInstances: number;
  pendingInstances: number;
  lastError?: string;
  /** The rule's pending period (`for`, Grafana's `duration`), in seconds. */
  pendingSeconds?: number;
  /** Epoch ms when the longest-active Pending or Firing instance became active (Grafana's `activeAt`). */
  activeSinceMs?: number;
  /** Each instance that is not Normal, with its labels (after label templates). */
  instances?: { labels: Record<string, string>; state: string; activeSinceMs?: number }[];
}

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
