// The notification design (notifications.ts) as upstream Alertmanager 0.25 reads it, for the
// native stack where Grafana cannot run. Alertmanager parses its file strictly
// (yaml.UnmarshalStrict in config/config.go), so only upstream keys appear: `matchers` strings
// instead of Grafana's `object_matchers`, top-level `time_intervals`, and webhooks with the
// settings 0.25 has. A 0.25 webhook sends no custom headers and renders no templates: the secret
// travels as `Authorization: Bearer` (http_config, read from a file so no secret is written
// here), and the body is Alertmanager's own (receiver, status, alerts...), which the status page
// reads as it reads Grafana's.
import { formatDuration } from '../../domain/durations.ts';
import { messageText, templateGroupName, titleText } from './notification-templates.ts';
import {
  notificationDesign,
  receiverNames,
  toTimeIntervalConfig,
  type LabelMatcher,
  type NotificationOptions,
  type Route,
} from './notifications.ts';

export interface AlertmanagerTarget {
  /** The status page's webhook, e.g. http://127.0.0.1:8081/api/alerts/webhook. */
  webhookUrl: string;
  /** A file holding ALERT_WEBHOOK_SECRET; relative paths are read from the config's folder. */
  webhookSecretFile: string;
  /** A file holding the Slack webhook URL; used when options.slack is set. */
  slackUrlFile?: string;
}

export const alertmanagerConfigFile = 'alertmanager.yml';
export const templateFile = `${templateGroupName}.tmpl`;

/** What the committed alertmanager/ files are rendered for: the native runner's default ports. */
export const defaultTarget: AlertmanagerTarget = {
  webhookUrl: 'http://127.0.0.1:8081/api/alerts/webhook',
  webhookSecretFile: 'webhook-secret',
  slackUrlFile: 'slack-webhook-url',
};

/** `name="value"`, the value quoted as Go's strconv.Quote does for these ASCII values. */
export function matcherText(matcher: LabelMatcher): string {
  return `${matcher.label}${matcher.op}${JSON.stringify(matcher.value)}`;
}

function toRoute(route: Route): Record<string, unknown> {
  return {
    ...(route.matchers.length > 0 ? { matchers: route.matchers.map(matcherText) } : {}),
    ...(route.receiver ? { receiver: route.receiver } : {}),
    ...(route.groupBy ? { group_by: route.groupBy } : {}),
    ...(route.groupWaitSeconds !== undefined ? { group_wait: formatDuration(route.groupWaitSeconds) } : {}),
    ...(route.groupIntervalSeconds !== undefined
      ? { group_interval: formatDuration(route.groupIntervalSeconds) }
      : {}),
    ...(route.repeatIntervalSeconds !== undefined
      ? { repeat_interval: formatDuration(route.repeatIntervalSeconds) }
      : {}),
    ...(route.muteTimeIntervals ? { mute_time_intervals: route.muteTimeIntervals } : {}),
    ...(route.continue ? { continue: true } : {}),
    ...(route.routes ? { routes: route.routes.map(toRoute) } : {}),
  };
}

function toReceiver(name: string, target: AlertmanagerTarget): Record<string, unknown> {
  if (name === receiverNames.slack) {
    if (!target.slackUrlFile) throw new Error('the Slack receiver needs slackUrlFile');
    return {
      name,
      slack_configs: [
        { api_url_file: target.slackUrlFile, send_resolved: true, title: titleText, text: messageText },
      ],
    };
  }
  return {
    name,
    webhook_configs: [
      {
        url: target.webhookUrl,
        send_resolved: true,
        http_config: { authorization: { type: 'Bearer', credentials_file: target.webhookSecretFile } },
      },
    ],
  };
}

/** alertmanager.yml as an object (keys in Alertmanager's own order). */
export function alertmanagerConfig(options: NotificationOptions, target: AlertmanagerTarget): object {
  const design = notificationDesign(options);
  return {
    route: toRoute(design.route),
    receivers: design.receivers.map((receiver) => toReceiver(receiver.name, target)),
    time_intervals: design.timeIntervals.map(toTimeIntervalConfig),
    templates: [templateFile],
  };
}
