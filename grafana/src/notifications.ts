// Where alerts go: the shop's status page, and Slack when a webhook URL is configured.
import {
  ContactPointBuilder,
  NotificationPolicyBuilder,
  type ContactPoint,
  type NotificationPolicy,
} from '@grafana/grafana-foundation-sdk/alerting';
import { envRef } from './provisioning-strings.ts';

export const webhookContactPointName = 'shop-webhook';
export const slackContactPointName = 'shop-slack';
/** The header the frontend checks against ALERT_WEBHOOK_SECRET. */
export const webhookSecretHeader = 'X-Webhook-Secret';
export const webhookUrl = 'http://frontend:8081/api/alerts/webhook';

export interface NotificationOptions {
  /** Adds the Slack contact point; its URL comes from SLACK_WEBHOOK_URL in Grafana's environment. */
  slack: boolean;
}

export function buildContactPoints(options: NotificationOptions): ContactPoint[] {
  const webhook = new ContactPointBuilder()
    .name(webhookContactPointName)
    .uid(webhookContactPointName)
    .type('webhook')
    .settings({
      url: webhookUrl,
      httpMethod: 'POST',
      // Custom headers need Grafana 12.0 or later.
      headers: { [webhookSecretHeader]: envRef('ALERT_WEBHOOK_SECRET') },
    })
    .build();
  if (!options.slack) return [webhook];
  const slack = new ContactPointBuilder()
    .name(slackContactPointName)
    .uid(slackContactPointName)
    .type('slack')
    .settings({ url: envRef('SLACK_WEBHOOK_URL') })
    .build();
  return [webhook, slack];
}

/** How long the policy waits before the first notification of a new alert group. */
export const groupWaitSeconds = 5;

/** Short waits so a firing alert reaches the status page within seconds on stage. */
export function buildNotificationPolicy(options: NotificationOptions): NotificationPolicy {
  const policy = new NotificationPolicyBuilder()
    .receiver(webhookContactPointName)
    .groupBy(['grafana_folder', 'alertname'])
    .groupWait(`${groupWaitSeconds}s`)
    .groupInterval('30s')
    .repeatInterval('4h');
  if (options.slack) {
    // Slack gets every alert and lets evaluation continue to the root's status page.
    policy.routes([
      new NotificationPolicyBuilder().receiver(slackContactPointName).objectMatchers([]).continueVal(true),
      new NotificationPolicyBuilder().receiver(webhookContactPointName).objectMatchers([]),
    ]);
  }
  return policy.build();
}
