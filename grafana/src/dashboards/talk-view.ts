// How every dashboard opens: as a talk needs it on a projector.

/**
 * The last 15 minutes: a scenario's whole incident and its resolve fill the width, and the traffic
 * before it shows what normal looks like. No older history to squint at.
 */
export const talkTimeRange = { from: 'now-15m', to: 'now' } as const;

/** Every 5 s, Grafana's smallest refresh by default: a change on screen within a scrape or two. */
export const talkRefresh = '5s';
