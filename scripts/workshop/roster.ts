// The trainer's roster: who gets which stack, its URLs and credentials.
import type { Attendee } from './attendees.ts';

const columns: [string, (attendee: Attendee) => string][] = [
  ['attendee', (a) => a.namespace],
  ['shop', (a) => a.urls.shop],
  ['grafana', (a) => a.urls.grafana],
  ['grafana_user', () => 'admin'],
  ['grafana_password', (a) => a.secrets.GRAFANA_PASSWORD],
  ['admin_token', (a) => a.secrets.ADMIN_TOKEN],
  ['api', (a) => a.urls.api],
  ['payment', (a) => a.urls.payment],
  ['inventory', (a) => a.urls.inventory],
  ['prometheus', (a) => a.urls.prometheus],
];

/** Every value is a URL, a hex secret or a name: none needs CSV quoting, and a test holds that. */
export function rosterCsv(attendees: Attendee[]): string {
  const lines = [
    columns.map(([name]) => name),
    ...attendees.map((a) => columns.map(([, value]) => value(a))),
  ];
  return lines.map((cells) => cells.join(',') + '\n').join('');
}

export function rosterMarkdown(attendees: Attendee[], domain: string): string {
  const first = attendees[0];
  if (!first) throw new Error('a roster needs at least one attendee');
  const rows = attendees.map(
    (a) =>
      `| ${a.namespace} | ${a.urls.shop} | ${a.urls.grafana} | admin / \`${a.secrets.GRAFANA_PASSWORD}\` | \`${a.secrets.ADMIN_TOKEN}\` |`,
  );
  return [
    `# ShopFast workshop: ${attendees.length} attendees on ${domain}`,
    '',
    'Each attendee has a namespace of the same name with the whole stack. The status page is the',
    "shop's /status, the runbooks its /docs/TROUBLESHOOTING.md. Keep this file private: it holds every password.",
    '',
    '| attendee | shop | Grafana | Grafana sign-in | admin token (for shopfast-sim) |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `shopfast-sim on an attendee's laptop (from a clone, after \`npm ci\`), for ${first.namespace}:`,
    '',
    '```sh',
    `export SHOPFAST_FRONTEND_URL=${first.urls.shop} SHOPFAST_API_URL=${first.urls.api}`,
    `export SHOPFAST_PAYMENT_URL=${first.urls.payment} SHOPFAST_INVENTORY_URL=${first.urls.inventory}`,
    `export GRAFANA_URL=${first.urls.grafana} PROMETHEUS_URL=${first.urls.prometheus}`,
    `export GRAFANA_PASSWORD=${first.secrets.GRAFANA_PASSWORD} ADMIN_TOKEN=${first.secrets.ADMIN_TOKEN}`,
    'npx shopfast-sim run payment-failures --until-firing',
    '```',
    '',
  ].join('\n');
}
