import { describe, expect, it } from 'vitest';
import { alertCatalog } from '../../../domain/alerts.ts';
import { buildDashboards } from './index.ts';
import { talkRefresh, talkTimeRange } from './talk-view.ts';

const seconds = (duration: string) => {
  const match = /^(\d+)([smh])$/.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
};

describe('every dashboard opens ready for a projector', () => {
  it('on the talk time range and refresh', () => {
    for (const { fileName, dashboard } of buildDashboards()) {
      expect({ time: dashboard.time, refresh: dashboard.refresh }, fileName).toEqual({
        time: talkTimeRange,
        refresh: talkRefresh,
      });
    }
  });

  it("refreshes no faster than Grafana allows by default, and within every alert's pending period", () => {
    // Grafana's [dashboards] min_refresh_interval is 5s unless set; the stack does not set it.
    expect(seconds(talkRefresh)).toBeGreaterThanOrEqual(5);
    const shortestPending = Math.min(
      ...alertCatalog.map((alert) => alert.timing.pendingSeconds).filter((pending) => pending > 0),
    );
    expect(seconds(talkRefresh)).toBeLessThanOrEqual(shortestPending);
  });

  it('shows a whole incident and its resolve, the slowest of the catalog', () => {
    const slowest = Math.max(
      ...alertCatalog.map((alert) => alert.expectedSecondsToFire + alert.expectedSecondsToResolve),
    );
    expect(seconds(talkTimeRange.from.replace('now-', ''))).toBeGreaterThan(slowest);
  });
});
