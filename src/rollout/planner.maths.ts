// The allocation planner's arithmetic, pure (docs/rollout.md "Planner"). Cameras needed: personal
// issue equips every eligible officer, pool issue the most officers ever on shift at once; both
// with the spare share on top, rounded up. One dock bay charges one camera, so bays = cameras.
import type { IssueMode, PlanStation } from './rollout.types.js';

export interface ShiftSpan {
  start: Date;
  end: Date;
  officers: readonly string[];
}

/**
 * The most eligible officers on shift at the same moment. Shifts that only touch (one ends at 07:00,
 * the next starts at 07:00) do not overlap; an officer on two overlapping shifts counts once.
 */
export function peakConcurrent(shifts: readonly ShiftSpan[], eligible: ReadonlySet<string>): number {
  const edges: Array<{ t: number; delta: 1 | -1; officer: string }> = [];
  for (const s of shifts) {
    if (!(s.start < s.end)) continue;
    for (const o of new Set(s.officers)) {
      if (!eligible.has(o)) continue;
      edges.push(
        { t: s.start.getTime(), delta: 1, officer: o },
        { t: s.end.getTime(), delta: -1, officer: o },
      );
    }
  }
  // Ends before starts at the same instant.
  edges.sort((a, b) => a.t - b.t || a.delta - b.delta);
  const onShift = new Map<string, number>();
  let peak = 0;
  for (const e of edges) {
    const n = (onShift.get(e.officer) ?? 0) + e.delta;
    if (n <= 0) onShift.delete(e.officer);
    else onShift.set(e.officer, n);
    peak = Math.max(peak, onShift.size);
  }
  return peak;
}

/** `base × (1 + spare%)`, rounded up; the small epsilon keeps 10 × 1.1 at 11, not 12. */
export function withSpare(base: number, sparePercent: number): number {
  return Math.max(0, Math.ceil(base * (1 + sparePercent / 100) - 1e-9));
}

export function camerasNeeded(
  mode: IssueMode,
  sparePercent: number,
  counts: { eligible: number; peak: number },
): number {
  return withSpare(mode === 'personal' ? counts.eligible : counts.peak, sparePercent);
}

export function planStation(
  station: string,
  mode: IssueMode,
  sparePercent: number,
  counts: { eligible: number; peak: number; stock: number },
): PlanStation {
  const needed = camerasNeeded(mode, sparePercent, counts);
  return {
    station,
    eligibleOfficers: counts.eligible,
    peakConcurrentOnShift: counts.peak,
    camerasNeeded: needed,
    dockBaysNeeded: needed,
    currentStock: counts.stock,
    shortfall: Math.max(0, needed - counts.stock),
  };
}

export function planTotals(rows: readonly PlanStation[]): Omit<PlanStation, 'station'> {
  const sum = (f: (r: PlanStation) => number) => rows.reduce((a, r) => a + f(r), 0);
  return {
    eligibleOfficers: sum((r) => r.eligibleOfficers),
    peakConcurrentOnShift: sum((r) => r.peakConcurrentOnShift),
    camerasNeeded: sum((r) => r.camerasNeeded),
    dockBaysNeeded: sum((r) => r.dockBaysNeeded),
    currentStock: sum((r) => r.currentStock),
    shortfall: sum((r) => r.shortfall),
  };
}
