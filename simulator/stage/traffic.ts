import type { FaultReport } from '../../domain/faults.ts';
import type { LiveStatus } from '../run/events.ts';
import type { FaultPlan } from '../scenarios/scenario.ts';
import type { FaultView, TrafficView } from './snapshot.ts';

/** The run's live status as the traffic strip shows it; `receivedAtMs` dates its elapsed time. */
export function trafficView(status: LiveStatus, receivedAtMs: number): TrafficView {
  return {
    scenario: status.scenario,
    phase: status.phase,
    achievedRate: status.achievedRate,
    targetRate: status.targetRate,
    requestRate: status.requestRate,
    errorPercent: status.errorPercent,
    p95Ms: status.p95Ms,
    endsAtMs: receivedAtMs + Math.max(0, status.totalSeconds - status.elapsedSeconds) * 1000,
  };
}

/**
 * The faults in force: as the services report them when they answered (whoever set them), else
 * as the running scenario set them. A fault of the running scenario goes off when the run ends
 * (the service's own expiry is renewed until then); any other at the expiry the service reports.
 */
export function faultViews(
  reports: readonly FaultReport[] | null,
  run: { plan: FaultPlan; endsAtMs: number } | null,
): FaultView[] {
  const fromRun = (service: string, kind: string) =>
    run && (run.plan as Record<string, Record<string, number> | undefined>)[service]?.[kind]
      ? run.endsAtMs
      : null;
  if (reports === null) {
    return Object.entries(run?.plan ?? {}).flatMap(([service, faults]) =>
      Object.entries(faults ?? {})
        .filter(([, value]) => (value ?? 0) > 0)
        .map(([kind, value]) => ({ service, kind, value: value ?? 0, endsAtMs: run?.endsAtMs ?? null })),
    );
  }
  return reports.flatMap((report) =>
    Object.entries(report.faults)
      .filter(([, value]) => (value ?? 0) > 0)
      .map(([kind, value]) => {
        const expiry = Date.parse(report.expiresAt[kind as keyof FaultReport['expiresAt']] ?? '');
        return {
          service: report.service,
          kind,
          value: value ?? 0,
          endsAtMs: fromRun(report.service, kind) ?? (Number.isFinite(expiry) ? expiry : null),
        };
      }),
  );
}
