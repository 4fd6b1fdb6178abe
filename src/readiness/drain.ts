// Battery drain estimated from telemetry history: a least-squares slope over the latest run of
// discharging samples. A single pair of readings is too noisy (batteries report in whole percent).

export interface BatterySample {
  t: Date;
  battery?: number | undefined;
  charging?: boolean | undefined;
}

/** How far back the estimate looks. */
export const DRAIN_WINDOW_MS = 60 * 60_000;
const MIN_SAMPLES = 3;
/** Shortest history that gives an estimate by default (readings every minute: three of them). */
export const DEFAULT_MIN_SPAN_MS = 2 * 60_000;

/** Percent per minute lost (positive), or null when the history cannot tell. */
export function drainPerMinute(
  samples: BatterySample[],
  now: Date,
  minSpanMs = DEFAULT_MIN_SPAN_MS,
): number | null {
  const recent = samples
    .filter((s) => typeof s.battery === 'number' && now.getTime() - s.t.getTime() <= DRAIN_WINDOW_MS)
    .sort((a, b) => a.t.getTime() - b.t.getTime());
  // Only the run since the camera last stopped charging: charging resets the curve.
  let from = 0;
  recent.forEach((s, i) => {
    if (s.charging) from = i + 1;
  });
  const run = recent.slice(from);
  if (run.length < MIN_SAMPLES) return null;
  const t0 = run[0]!.t.getTime();
  if (run[run.length - 1]!.t.getTime() - t0 < minSpanMs) return null;
  const xs = run.map((s) => (s.t.getTime() - t0) / 60_000);
  const ys = run.map((s) => s.battery!);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i]! - my);
    den += (x - mx) ** 2;
  });
  if (den === 0) return null;
  const slope = num / den;
  return slope < 0 ? -slope : 0;
}

/** Minutes until empty at that drain, or null when it is not draining measurably. */
export function minutesLeft(battery: number, perMinute: number | null): number | null {
  if (perMinute === null || perMinute < 0.005) return null;
  return battery / perMinute;
}
