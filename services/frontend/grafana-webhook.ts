import { z } from 'zod';

// Grafana's webhook contact point payload (fixtures and field notes in the shared Grafana fixtures),
// and upstream Alertmanager's webhook body, which is the same data without Grafana's additions
// (title, message, values, panelURL...). Only the fields the status page uses are checked; z.object
// drops unknown keys, which Grafana adds from version to version (ruleUID, orgId, enrichments, ...).
const timestamp = z.iso.datetime({ offset: true, message: 'expected an RFC 3339 timestamp' });
const alertStatus = z.enum(['firing', 'resolved']);

const webhookAlert = z.object({
  status: alertStatus,
  labels: z.object({ alertname: z.string().min(1).max(200) }).catchall(z.string()),
  annotations: z.record(z.string(), z.string()).default({}),
  startsAt: timestamp,
  // Firing alerts carry Go's zero time, 0001-01-01T00:00:00Z.
  endsAt: timestamp,
  fingerprint: z.string().min(1).max(200),
  // null for NoData/Error alerts.
  values: z.record(z.string(), z.number().nullable()).nullable().default(null),
  generatorURL: z.string().max(2_000).default(''),
  // The rule's linked panel (its dashboardUid/panelId), "" when it has none.
  panelURL: z.string().max(2_000).default(''),
});

export const grafanaWebhookPayload = z.object({
  // The receiver (Grafana: the contact point) the notification was routed to: who was told.
  receiver: z.string().min(1).max(200),
  status: alertStatus,
  alerts: z.array(webhookAlert).max(1_000),
  // The title the notification templates produced; Grafana only (Alertmanager 0.25's webhook renders none).
  title: z.string().max(1_000).default(''),
});

export type GrafanaWebhookPayload = z.infer<typeof grafanaWebhookPayload>;
export type GrafanaAlert = GrafanaWebhookPayload['alerts'][number];
