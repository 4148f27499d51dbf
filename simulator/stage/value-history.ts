/** One evaluation's value of one instance: null when the query gave none (or NaN). */
export interface ValuePoint {
  atMs: number;
  value: number | null;
}

/**
 * The last minutes of each instance's values, for the cards' sparklines: one point per evaluation,
 * older ones dropped, a repeated evaluation of the same tick replacing its point.
 */
export class ValueHistory {
  private readonly series = new Map<string, ValuePoint[]>();

  constructor(private readonly windowMs = 5 * 60_000) {}

  add(id: string, point: ValuePoint): void {
    const points = this.series.get(id) ?? [];
    const value = point.value === null || Number.isFinite(point.value) ? point.value : null;
    const last = points.at(-1);
    if (last && last.atMs === point.atMs) last.value = value;
    else if (!last || point.atMs > last.atMs) points.push({ atMs: point.atMs, value });
    else return; // an evaluation older than the newest: the picture already moved on
    const oldest = point.atMs - this.windowMs;
    while (points.length > 0 && points[0]!.atMs < oldest) points.shift();
    this.series.set(id, points);
  }

  points(id: string): readonly ValuePoint[] {
    return this.series.get(id) ?? [];
  }

  latest(id: string): ValuePoint | undefined {
    return this.series.get(id)?.at(-1);
  }

  ids(): string[] {
    return [...this.series.keys()];
  }
}
