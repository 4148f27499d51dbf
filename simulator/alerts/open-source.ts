import type { AlertStateSource } from './state-source.ts';
import { UsageError } from '../errors.ts';
import type { GrafanaClient } from '../clients/grafana-client.ts';
import type { Targets } from '../clients/targets.ts';

/** The alert states a command shows and waits for, and how to let go of them. */
export interface OpenedAlertSource {
  /** Grafana when reachable, else the rule preview; null when neither can say. */
  source: AlertStateSource | null;
  /** Why there is no source. */
  unavailable?: string;
  /** Stops the preview's evaluations (nothing to do for Grafana). */
  close(): Promise<void>;
}

/** Starts the rule preview against the data sources the targets name. */
export type PreviewOpener = (
  targets: Targets,
) => Promise<{ source: AlertStateSource; close(): Promise<void> }>;

/**
 * Grafana's own states when Grafana answers; otherwise (the native stack) the preview, which
 * evaluates the generated rule file as Grafana would.
 */
export async function openAlertStateSource(
  grafana: GrafanaClient,
  targets: Targets,
  openPreview: PreviewOpener,
): Promise<OpenedAlertSource> {
  if (await grafana.reachable()) {
    // Wrong credentials would otherwise look like an unreachable Grafana for the whole command.
    await grafana.ruleStatuses().catch((error: unknown) => {
      if (error instanceof UsageError) throw error;
    });
    return { source: grafana, close: async () => {} };
  }
  try {
    const preview = await openPreview(targets);
    return { source: preview.source, close: () => preview.close() };
  } catch (error) {
    return {
      source: null,
      unavailable: `Grafana is not reachable at ${grafana.baseUrl} and the rule preview could not start: ${error instanceof Error ? error.message : String(error)}`,
      close: async () => {},
    };
  }
}
