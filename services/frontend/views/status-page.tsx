import type { FC } from 'hono/jsx';
import type { Incident } from '../incidents.ts';
import { IncidentList } from './incidents.tsx';
import { Layout } from './layout.tsx';

export const StatusPage: FC<{ incidents: Incident[] }> = ({ incidents }) => (
  <Layout title="Status" firing={incidents.filter((i) => i.status === 'firing')} live="status">
    <h1>System status</h1>
    <p id="live-state" class="muted">
      Connecting to live updates…
    </p>
    <section id="incident-list" class="incidents">
      <IncidentList incidents={incidents} />
    </section>
  </Layout>
);
