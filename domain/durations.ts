// Prometheus-style durations ("1h30m", "10s", "0"), as Grafana parses them in provisioning files.
const units: [string, number][] = [
  ['y', 365 * 24 * 3600],
  ['w', 7 * 24 * 3600],
  ['d', 24 * 3600],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
  ['ms', 0.001],
];
const durationPattern = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Seconds, or undefined when Grafana would reject the text. */
export function parseDurationSeconds(text: string): number | undefined {
  if (text === '0') return 0;
  const match = durationPattern.exec(text);
  if (!match || text === '') return undefined;
  return units.reduce((total, [, seconds], index) => total + Number(match[index + 1] ?? 0) * seconds, 0);
}

/** The shortest duration text for whole seconds: 3600 → "1h", 90 → "90s", 0 → "0s". */
export function formatDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`not a whole number of seconds: ${seconds}`);
  for (const [unit, size] of [
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds > 0 && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
