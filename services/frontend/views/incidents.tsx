import type { FC } from 'hono/jsx';
import type { Incident, Notice } from '../incidents.ts';
import { utcTime } from './format.ts';

/** Shown on every shop page while something fires; empty otherwise. */
export const IncidentBanner: FC<{ firing: Incident[] }> = ({ firing }) => {
  if (firing.length === 0) return null;
  const worst = firing.some((i) => i.severity === 'critical') ? 'critical' : firing[0]!.severity;
  const names = [...new Set(firing.map((i) => (i.service ? `${i.alertName} (${i.service})` : i.alertName)))];
  return (
    <div class={`banner sev-${worst}`} role="alert" data-incidents={firing.length}>
      {firing.length === 1 ? 'Incident in progress: ' : `${firing.length} incidents in progress: `}
      {names.join(', ')} — <a href="/status">see the status page</a>
    </div>
  );
};

/** Only web addresses become links: the URLs come from a webhook body. */
const webLink = (url: string): string | undefined => {
  const parsed = URL.parse(url);
  return parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:') ? parsed.href : undefined;
};

/** The way from the incident to its cause: the rule in Grafana, and the panel whose exemplars open traces. */
const IncidentLinks: FC<{ incident: Incident }> = ({ incident }) => {
  const panel = webLink(incident.panelUrl);
  const rule = webLink(incident.generatorUrl);
  if (!panel && !rule) return null;
  return (
    <footer class="incident-links">
      {panel && <a href={panel}>Open the panel in Grafana (its exemplars open the traces)</a>}
      {panel && rule && ' · '}
      {rule && <a href={rule}>the alert rule</a>}
    </footer>
  );
};

/** What a notice told: "again" when the same receiver already heard the same of this episode. */
function toldWhat(notices: readonly Notice[], index: number): string {
  const notice = notices[index]!;
  const again = notices
    .slice(0, index)
    .some(
      (earlier) =>
        earlier.receiver === notice.receiver &&
        earlier.status === notice.status &&
        earlier.since.getTime() === notice.since.getTime(),
    );
  const what = notice.status === 'firing' ? 'it fires' : 'it resolved';
  return again ? `told again ${what} (its group’s notification)` : `told ${what}`;
}

/** Who was told, in the order the notifications arrived, with the title the templates gave each. */
const Notices: FC<{ incident: Incident }> = ({ incident }) => (
  <ul class="notices">
    {incident.notices.map((notice, index) => (
      <li data-receiver={notice.receiver} data-status={notice.status}>
        <strong>{notice.receiver}</strong> {toldWhat(incident.notices, index)}{' '}
        <time datetime={notice.at.toISOString()}>{utcTime(notice.at)}</time>
        {notice.title && <span class="notice-title">: {notice.title}</span>}
      </li>
    ))}
  </ul>
);

const IncidentCard: FC<{ incident: Incident }> = ({ incident }) => {
  const tone = incident.status === 'resolved' ? 'resolved' : incident.severity;
  return (
    <article
      class={`incident sev-${tone}`}
      data-fingerprint={incident.fingerprint}
      data-status={incident.status}
      data-severity={incident.severity}
    >
      <h2>
        {incident.alertName}
        {incident.status === 'resolved' ? ' — resolved' : ` — ${incident.severity}`}
      </h2>
      {incident.summary && <p>{incident.summary}</p>}
      <dl>
        <dt>Service</dt>
        <dd>{incident.service || 'not labelled'}</dd>
        <dt>Since</dt>
        <dd>
          <time datetime={incident.since.toISOString()}>{utcTime(incident.since)}</time>
        </dd>
        {incident.resolvedAt && (
          <>
            <dt>Resolved</dt>
            <dd>
              <time datetime={incident.resolvedAt.toISOString()}>{utcTime(incident.resolvedAt)}</time>
            </dd>
          </>
        )}
        <dt>Value</dt>
        <dd>{incident.value ?? 'no data'}</dd>
        {incident.notices.length > 0 && (
          <>
            <dt>Told</dt>
            <dd>
              <Notices incident={incident} />
            </dd>
          </>
        )}
      </dl>
      <IncidentLinks incident={incident} />
    </article>
  );
};

export const IncidentList: FC<{ incidents: Incident[] }> = ({ incidents }) =>
  incidents.length === 0 ? (
    <p class="all-clear">All systems operational. No incidents reported by Grafana.</p>
  ) : (
    <>
      {incidents.map((incident) => (
        <IncidentCard incident={incident} />
      ))}
    </>
  );

/** The two fragments the live status page swaps in; rendered by the same components as the full page. */
export async function renderIncidentFragments(
  incidents: Incident[],
): Promise<{ banner: string; list: string }> {
  const firing = incidents.filter((i) => i.status === 'firing');
  return {
    banner: String(await (<IncidentBanner firing={firing} />)),
    list: String(await (<IncidentList incidents={incidents} />)),
  };
}
