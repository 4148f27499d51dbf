// Each attendee's namespace, hosts, URLs and secrets.
import { randomBytes } from 'node:crypto';

/** The Secret's keys: the variable names docker-compose.yml and .env use, plus DATABASE_URL. */
export interface AttendeeSecrets {
  ADMIN_TOKEN: string;
  ALERT_WEBHOOK_SECRET: string;
  POSTGRES_PASSWORD: string;
  GRAFANA_PASSWORD: string;
  /** Grafana's read-only PostgreSQL role (postgres/grafana-role.sh sets it). */
  GRAFANA_DB_PASSWORD: string;
  /** The services' connection string; it holds the password, so it is secret too. */
  DATABASE_URL: string;
}

export interface Attendee {
  /** attendee-07: the namespace, and the first label of the attendee's hosts. */
  namespace: string;
  /** Host of the shop (/) and Grafana (/grafana/). */
  host: string;
  /** One host per service and Prometheus, for shopfast-sim on the attendee's laptop. */
  hosts: { api: string; payment: string; inventory: string; prometheus: string };
  urls: {
    shop: string;
    grafana: string;
    api: string;
    payment: string;
    inventory: string;
    prometheus: string;
  };
  secrets: AttendeeSecrets;
}

/** Letters and digits only: the PostgreSQL password goes into a URL, the Grafana one is typed by hand. */
function randomSecret(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function secretsFor(): AttendeeSecrets {
  const postgresPassword = randomSecret(16);
  return {
    ADMIN_TOKEN: randomSecret(16),
    ALERT_WEBHOOK_SECRET: randomSecret(16),
    POSTGRES_PASSWORD: postgresPassword,
    GRAFANA_PASSWORD: randomSecret(8),
    GRAFANA_DB_PASSWORD: randomSecret(16),
    DATABASE_URL: `postgres://shopfast:${postgresPassword}@postgres:5432/shopfast`,
  };
}

export function attendeeFor(index: number, count: number, domain: string): Attendee {
  const namespace = `attendee-${String(index).padStart(Math.max(2, String(count).length), '0')}`;
  const host = `${namespace}.${domain}`;
  const hosts = {
    api: `${namespace}-api.${domain}`,
    payment: `${namespace}-payment.${domain}`,
    inventory: `${namespace}-inventory.${domain}`,
    prometheus: `${namespace}-prometheus.${domain}`,
  };
  return {
    namespace,
    host,
    hosts,
    urls: {
      shop: `http://${host}/`,
      grafana: `http://${host}/grafana/`,
      api: `http://${hosts.api}`,
      payment: `http://${hosts.payment}`,
      inventory: `http://${hosts.inventory}`,
      prometheus: `http://${hosts.prometheus}`,
    },
    secrets: secretsFor(),
  };
}

export function attendeesFor(count: number, domain: string): Attendee[] {
  return Array.from({ length: count }, (_, i) => attendeeFor(i + 1, count, domain));
}
