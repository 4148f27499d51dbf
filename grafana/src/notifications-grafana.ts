// The notification design (notifications.ts) as Grafana provisions it: one contact point per
// receiver, each a webhook to the shop's status page (Slack optional), the policy tree, the
// template group; the mute timing is upstream's format as it is (toTimeIntervalConfig).
import {
  ContactPointBuilder,
  NotificationPolicyBuilder,
  NotificationTemplateBuilder,
  type ContactPoint,
  type NotificationPolicy,
  type NotificationTemplate,
} from '@grafana/grafana-foundation-sdk/alerting';
import { formatDuration } from '../../domain/durations.ts';
import {
  messageText,
  notificationTemplates,
  templateGroupName,
  titleText,
} from './notification-templates.ts';
import { notificationDesign, receiverNames, type NotificationOptions, type Route } from './notifications.ts';
import { envRef } from './provisioning-strings.ts';

/** The header the frontend checks against ALERT_WEBHOOK_SECRET (custom headers: Grafana 12.0+). */
export const webhookSecretHeader = 'X-Webhook-Secret';
/** The frontend inside the Docker stack and the cluster. */
export const webhookUrl = 'http://frontend:8081/api/alerts/webhook';

/**
 * Every receiver is a webhook to the same status page; the body's `receiver` field (the contact
 * point's name) tells the page who was told, and its `title` / `message` carry the templates.
 */
function webhookContactPoint(name: string): ContactPoint {
  return new ContactPointBuilder()
    .name(name)
    .uid(`${name}-webhook`)
    .type('webhook')
    .settings({
      url: webhookUrl,
      httpMethod: 'POST',
      headers: { [webhookSecretHeader]: envRef('ALERT_WEBHOOK_SECRET') },
      title: titleText,
      message: messageText,
    })
    .build();
}

function slackContactPoint(): ContactPoint {
  return new ContactPointBuilder()
    .name(receiverNames.slack)
    .uid(receiverNames.slack)
    .type('slack')
    .settings({ url: envRef('SLACK_WEBHOOK_URL'), title: titleText, text: messageText })
    .build();
}

export function buildContactPoints(options: NotificationOptions): ContactPoint[] {
  return notificationDesign(options).receivers.map((receiver) =>
    receiver.name === receiverNames.slack ? slackContactPoint() : webhookContactPoint(receiver.name),
  );
}

/** Grafana's own matcher form, `[label, op, value]` (what its UI and exports write). */
function toPolicy(route: Route): NotificationPolicyBuilder {
  const policy = new NotificationPolicyBuilder();
  if (route.matchers.length > 0)
    policy.objectMatchers(route.matchers.map((matcher) => [matcher.label, matcher.op, matcher.value]));
  if (route.receiver) policy.receiver(route.receiver);
  if (route.groupBy) policy.groupBy(route.groupBy);
  if (route.groupWaitSeconds !== undefined) policy.groupWait(formatDuration(route.groupWaitSeconds));
  if (route.groupIntervalSeconds !== undefined)
    policy.groupInterval(formatDuration(route.groupIntervalSeconds));
  if (route.repeatIntervalSeconds !== undefined)
    policy.repeatInterval(formatDuration(route.repeatIntervalSeconds));
  if (route.muteTimeIntervals) policy.muteTimeIntervals(route.muteTimeIntervals);
  if (route.continue) policy.continueVal(true);
  if (route.routes) policy.routes(route.routes.map(toPolicy));
  return policy;
}

export function buildNotificationPolicy(options: NotificationOptions): NotificationPolicy {
  return toPolicy(notificationDesign(options).route).build();
}

export function buildNotificationTemplates(): NotificationTemplate[] {
  return [
    new NotificationTemplateBuilder()
      .name(templateGroupName)
      .template(notificationTemplates('grafana'))
      .build(),
  ];
}
